/** Answers of the portfolio routes (read-models/portfolios.ts, portfolioRisk.ts; docs/risk.md defines every figure). */
import { arrayOf, boolean, epochMs, integer, mapOf, nullable, number, object, position, recorded, string, type Schema } from './common.js';
import { riskAssessed, riskFigures, varBacktestLevel } from './risk.js';

const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const weights = mapOf(number);
const rebalancing = { type: 'string', description: 'how the weights are held through the window' } as const;

export const portfolio = object({
  portfolioId: string,
  name: string,
  holdings: { type: 'object', required: ['kind'], properties: { kind: { type: 'string', enum: ['weights', 'positions'] } }, description: 'weights (fractions summing to 1) or positions (units held), per symbol' },
  retired: nullable(object({ reason: string })),
  version: integer,
  history: arrayOf(object({ type: string, actor: string, recordedAt: string, position })),
});
export const portfoliosAnswer = object({ portfolios: arrayOf(portfolio) });
export const portfolioDefined = recorded({ portfolioId: string, created: boolean });
export const portfolioRedefined = recorded({ portfolioId: string, changed: boolean });
export const portfolioRetired = recorded();

/** Per symbol, the spans neither layer covers. */
const symbolsProvenance = {
  batch: nullable(object({ view: { type: 'string', const: 'ohlcv' }, version: integer, computedThrough: nullable(number) })),
  gaps: mapOf(arrayOf(object({ from: epochMs, to: epochMs, reason: string }))),
  degraded: boolean,
};

export const portfolioRisk = object({
  portfolioId: string,
  asOf: day,
  definitions: { type: 'object', description: 'the definitions the figures used (docs/risk.md)' },
  rebalancing,
  weights,
  returns: arrayOf({ type: 'object', description: 'one day return of the portfolio' }),
  missingBars: arrayOf(string),
  figures: riskFigures,
  ...symbolsProvenance,
});
export const portfolioAssessed = riskAssessed(portfolioRisk);

export const portfolioVarBacktest = object({
  portfolioId: string,
  asOf: day,
  window: integer,
  weights,
  rebalancing,
  missingBars: arrayOf(string),
  levels: arrayOf(varBacktestLevel),
  ...symbolsProvenance,
});

const scenarios = arrayOf({ type: 'object', description: 'a historical scenario: its dates, the portfolio return and each symbol return' });
export const stressAnswer = object({
  portfolioId: string,
  asOf: day,
  window: integer,
  weights,
  rebalancing,
  observations: integer,
  worstDays: scenarios,
  worstWeeks: scenarios,
  shock: nullable({ type: 'object', description: 'the portfolio return under the given shocks, and each symbol contribution' }),
  ...symbolsProvenance,
});

const objective = { type: 'string', enum: ['min_volatility', 'max_sharpe', 'efficient_return', 'efficient_risk'] } as const;
const estimates = { type: 'object', description: 'the expected returns and covariance the optimiser used, with their definitions and provenance' } as const;
const performance = { type: 'object', description: 'expected return, volatility and Sharpe ratio of the weights' } as const;

export const optimisationAnswer: Schema = object({
  objective,
  solved: objective,
  fallback: nullable(object({ reason: string })),
  weights,
  performance,
  estimates,
  optimisationId: string,
  position,
});
export const frontierAnswer = object({
  points: arrayOf({ type: 'object', required: ['weights'], properties: { weights }, description: 'a point of the efficient frontier: its return, volatility and weights' }),
  estimates,
});
