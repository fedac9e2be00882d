/** Answers of the risk routes (read-models/risk.ts, domain/risk/); docs/risk.md defines every figure. */
import { arrayOf, boolean, epochMs, figure, integer, mapOf, nullable, number, object, position, string, symbol, type Schema } from './common.js';

/** Where the closes came from: the batch view's version, the spans neither layer covers, whether the batch layer was down. */
export const provenance = {
  batch: nullable(object({ view: { type: 'string', const: 'ohlcv' }, version: integer, computedThrough: nullable(number) })),
  gaps: arrayOf(object({ from: epochMs, to: epochMs, reason: string }, ['from', 'to', 'reason'])),
  degraded: boolean,
};

const varFigures = object({ historicalVar: figure, historicalCvar: figure, parametricVar: figure });
export const riskFigures = object({
  observations: integer,
  meanReturn: figure,
  volatility: figure,
  sharpe: figure,
  sortino: figure,
  maxDrawdown: figure,
  var: mapOf(varFigures),
});

const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

export const riskAnswer = object({
  symbol,
  asOf: day,
  definitions: { type: 'object', description: 'the definitions the figures used: interval, window, annualisation, risk-free rate, return formula (docs/risk.md)' },
  returns: arrayOf({ type: 'object', description: 'one bar return' }),
  missingBars: arrayOf(string),
  figures: riskFigures,
  ...provenance,
});
export const risksAnswer = object({ risks: arrayOf(riskAnswer) });

export const riskAssessed = (assessment: Schema): Schema => object({ recorded: boolean, position, assessment });

const likelihoodRatio = { type: 'object', description: 'a likelihood-ratio test: statistic and p-value' } as const;
export const varBacktestLevel = object({
  level: number,
  method: { type: 'string', enum: ['historical', 'parametric'] },
  days: arrayOf({ type: 'object', description: 'one backtested day: its VaR, its return, whether it was an exception' }),
  exceptions: integer,
  expectedExceptions: number,
  kupiec: likelihoodRatio,
  christoffersenIndependence: likelihoodRatio,
  conditionalCoverage: likelihoodRatio,
  basel: nullable(object({ zone: string, days: integer, exceptions: integer, cumulativeProbability: number })),
});

export const varBacktestAnswer = object({
  symbol,
  asOf: day,
  window: integer,
  annualisation: integer,
  returns: string,
  missingBars: arrayOf(string),
  levels: arrayOf(varBacktestLevel),
  ...provenance,
});

