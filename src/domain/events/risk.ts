/**
 * Risk assessments: the figures of one symbol's, or one portfolio's, window of returns, with what
 * they were computed from. A portfolio's carries its id, the weights it was assessed with and the
 * rebalancing convention of its return series; everything else is the same shape.
 */
import * as t from 'io-ts';
import { MarketSymbolCodec, NonEmptyString, NonNegativeInt, symbolRecord } from '../validation.js';

const Figure = t.union([t.number, t.null]);

const VarFiguresData = t.type({ historicalVar: Figure, historicalCvar: Figure, parametricVar: Figure });

/** The definitions a figure was computed by (see domain/risk/definitions.ts): enough to recompute it. */
export const RiskDefinitionsData = t.type({
  interval: t.keyof({ '1d': null, '1h': null }),
  window: NonNegativeInt,
  annualisation: NonNegativeInt,
  riskFree: t.number,
  returns: t.literal('simple'),
  historicalVar: t.literal('linear-quantile'),
  parametricVar: t.literal('normal'),
});
export type RiskDefinitionsData = t.TypeOf<typeof RiskDefinitionsData>;

const AssessmentFields = {
  /** The UTC day (yyyy-mm-dd) the window ends with (its last hour, for hourly bars). */
  asOf: NonEmptyString,
  definitions: RiskDefinitionsData,
  observations: NonNegativeInt,
  /** Bars inside the window with no close: the returns next to them are left out. */
  missingBars: NonNegativeInt,
  figures: t.type({
    meanReturn: Figure,
    volatility: Figure,
    sharpe: Figure,
    sortino: Figure,
    maxDrawdown: Figure,
    var95: VarFiguresData,
    var99: VarFiguresData,
  }),
  /** The OHLCV batch view the closes came from (null when only the speed layer held them). */
  batch: t.union([t.type({ view: NonEmptyString, version: NonNegativeInt, computedThrough: t.number }), t.null]),
};

export const SymbolRiskAssessedData = t.type({ symbol: MarketSymbolCodec, ...AssessmentFields });
export type SymbolRiskAssessedData = t.TypeOf<typeof SymbolRiskAssessedData>;

export const PortfolioRiskAssessedData = t.type({
  portfolioId: NonEmptyString,
  /** The weights the portfolio's returns were computed with (positions valued at the as-of close). */
  weights: symbolRecord(t.number, 'numbers'),
  rebalancing: t.literal('daily'),
  ...AssessmentFields,
});
export type PortfolioRiskAssessedData = t.TypeOf<typeof PortfolioRiskAssessedData>;

export const RiskAssessedData = t.union([SymbolRiskAssessedData, PortfolioRiskAssessedData]);
export type RiskAssessedData = t.TypeOf<typeof RiskAssessedData>;

export const isPortfolioAssessment = (d: RiskAssessedData): d is PortfolioRiskAssessedData => 'portfolioId' in d;
