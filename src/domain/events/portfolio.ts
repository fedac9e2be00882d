/**
 * Portfolios: defined, redefined and retired by commands (each event carries its actor in meta),
 * and the optimisations run on them. What the holdings must satisfy beyond their shape (weights
 * summing to 1, positive quantities) is checked by domain/portfolio/holdings.ts before a decision.
 */
import * as t from 'io-ts';
import { MarketSymbolCodec, NonEmptyString, NonNegativeInt, symbolRecord } from '../validation.js';

const SymbolNumbers = symbolRecord(t.number, 'numbers');

/** Either fractions of the portfolio's value per symbol, or quantities held (valued at each as-of day's close). */
export const HoldingsData = t.union([
  t.type({ kind: t.literal('weights'), weights: SymbolNumbers }),
  t.type({ kind: t.literal('positions'), positions: SymbolNumbers }),
]);
export type HoldingsData = t.TypeOf<typeof HoldingsData>;

export const PortfolioDefinedData = t.type({ portfolioId: NonEmptyString, name: NonEmptyString, holdings: HoldingsData });
export type PortfolioDefinedData = t.TypeOf<typeof PortfolioDefinedData>;

export const PortfolioRedefinedData = PortfolioDefinedData;
export type PortfolioRedefinedData = PortfolioDefinedData;

export const PortfolioRetiredData = t.type({ portfolioId: NonEmptyString, reason: t.string });
export type PortfolioRetiredData = t.TypeOf<typeof PortfolioRetiredData>;

export const OptimisationObjective = t.keyof({ min_volatility: null, max_sharpe: null, efficient_return: null, efficient_risk: null });
export type OptimisationObjective = t.TypeOf<typeof OptimisationObjective>;

export const CovarianceEstimator = t.keyof({ sample: null, 'ledoit-wolf': null });
export type CovarianceEstimator = t.TypeOf<typeof CovarianceEstimator>;

const Figure = t.union([t.number, t.null]);

export const PortfolioOptimisedData = t.type({
  optimisationId: NonEmptyString,
  /** The portfolio whose symbols were optimised; null for a bare set of symbols (POST /api/v1/portfolios/optimise). */
  portfolioId: t.union([NonEmptyString, t.null]),
  /** The UTC day (yyyy-mm-dd) the window of returns ends with. */
  asOf: NonEmptyString,
  symbols: t.array(MarketSymbolCodec),
  objective: OptimisationObjective,
  /** The objective whose weights these are: min_volatility when max_sharpe had no solution. */
  solved: OptimisationObjective,
  /** Why the asked objective was not the one solved. */
  fallback: t.union([t.type({ reason: t.string }), t.null]),
  parameters: t.type({
    window: NonNegativeInt,
    covariance: CovarianceEstimator,
    riskFree: t.number,
    targetReturn: Figure,
    targetVolatility: Figure,
    bounds: symbolRecord(t.tuple([t.number, t.number]), '[lower, upper]'),
  }),
  definitions: t.type({ expectedReturns: t.string, covariance: t.string, annualisation: NonNegativeInt }),
  /** Days with a return of every symbol (the rows of the estimates). */
  observations: NonNegativeInt,
  /** The Ledoit-Wolf shrinkage intensity δ, null for the sample covariance. */
  shrinkage: Figure,
  weights: SymbolNumbers,
  performance: t.type({ expectedReturn: t.number, volatility: t.number, sharpe: Figure }),
  batch: t.union([t.type({ view: NonEmptyString, version: NonNegativeInt, computedThrough: t.number }), t.null]),
});
export type PortfolioOptimisedData = t.TypeOf<typeof PortfolioOptimisedData>;
