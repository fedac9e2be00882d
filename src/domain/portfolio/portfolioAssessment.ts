/**
 * A portfolio's risk as of a UTC day: the figures of riskFigures.ts (the same definitions as a
 * symbol's) on its daily return series, the portfolio held at constant weights rebalanced every
 * day: r_p,t = Σ_i w_i r_i,t over the days on which every symbol has a return. A portfolio of
 * positions is held at the weights of their values at the as-of day's closes.
 */
import { InvalidInputError } from '../errors.js';
import type { HoldingsData } from '../events/portfolio.js';
import type { PortfolioRiskAssessedData, RiskAssessedData } from '../events/risk.js';
import { assessedFields, windowStart } from '../risk/assessment.js';
import { riskDefinitions, type RiskDefinitions } from '../risk/definitions.js';
import type { BarReturn, Close } from '../risk/returns.js';
import { riskFigures, type RiskFigures } from '../risk/riskFigures.js';
import { utcDay } from '../time.js';
import { alignedReturns, portfolioReturns, type ReturnMatrix } from './alignedReturns.js';
import { holdingSymbols, weightsOf, type Weights } from './holdings.js';

export const REBALANCING =
  'daily: constant weights restored at every close, r_p,t = sum_i w_i * r_i,t over the days every symbol has a return; positions are weighted by their values at the as-of close';

export interface PortfolioAssessment {
  readonly asOf: string;
  readonly definitions: RiskDefinitions;
  readonly rebalancing: typeof REBALANCING;
  readonly weights: Weights;
  readonly returns: readonly BarReturn[];
  /** Days in the window some symbol has no close of: their returns are left out for all. */
  readonly missingBars: readonly string[];
  readonly figures: RiskFigures;
}

/** The weights on the as-of day; positions need every symbol's close of that day. */
export const weightsAsOf = (holdings: HoldingsData, closes: Readonly<Record<string, readonly Close[]>>, asOfDay: number): Weights => {
  if (holdings.kind === 'weights') return holdings.weights;
  const prices: Record<string, number> = {};
  for (const s of holdingSymbols(holdings)) {
    const close = closes[s]?.find((c) => c.time === asOfDay);
    if (close === undefined) throw new InvalidInputError(`asOf: ${s} has no close on ${utcDay(asOfDay)}, so the positions cannot be valued; ask for another asOf`);
    prices[s] = close.close;
  }
  return weightsOf(holdings, prices);
};

/** The window's aligned returns of `symbols` and the portfolio's. `weights` may name fewer symbols (0 for the rest). */
export const portfolioSeries = (
  closes: Readonly<Record<string, readonly Close[]>>,
  symbols: readonly string[],
  weights: Weights,
  asOfDay: number,
  window: number,
): { matrix: ReturnMatrix; vector: number[]; returns: BarReturn[] } => {
  const matrix = alignedReturns(closes, symbols, windowStart(asOfDay, window), asOfDay);
  const vector = symbols.map((s) => weights[s] ?? 0);
  return { matrix, vector, returns: portfolioReturns(matrix, vector) };
};

export const assessPortfolio = (
  closes: Readonly<Record<string, readonly Close[]>>,
  holdings: HoldingsData,
  asOfDay: number,
  window: number,
  riskFree = 0,
): PortfolioAssessment => {
  const weights = weightsAsOf(holdings, closes, asOfDay);
  const { matrix, returns } = portfolioSeries(closes, holdingSymbols(holdings), weights, asOfDay, window);
  const definitions = riskDefinitions('1d', window, riskFree);
  return {
    asOf: utcDay(asOfDay),
    definitions,
    rebalancing: REBALANCING,
    weights,
    returns,
    missingBars: matrix.missingBars.map(utcDay),
    figures: riskFigures(returns.map((r) => r.value), definitions),
  };
};

/** The RiskAssessed event's data of a portfolio's assessment. */
export const portfolioRiskAssessedData = (portfolioId: string, a: PortfolioAssessment, batch: RiskAssessedData['batch']): PortfolioRiskAssessedData => {
  return { portfolioId, weights: a.weights, rebalancing: 'daily', ...assessedFields(a, batch) };
};
