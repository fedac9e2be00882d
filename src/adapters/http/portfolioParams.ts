/**
 * The portfolio routes' values beyond the risk routes' (riskParams.ts): a comma list of symbols,
 * the optimiser's objective, covariance estimator and bounds, a stress test's shocks. Every
 * refusal names what is accepted.
 */
import { InvalidInputError } from '../../domain/errors.js';
import { CovarianceEstimator } from '../../domain/events/portfolio.js';
import { MAX_HOLDINGS } from '../../domain/portfolio/holdings.js';
import type { ObjectiveRequest } from '../../domain/portfolio/optimiser.js';
import { describeValue } from '../../domain/validation.js';
import { parseInteger, parseSymbol } from './params.js';

/** `BTC-USDT,ETH-USDT`: at least one, at most MAX_HOLDINGS, no repeats. */
export const parseSymbolList = (raw: string | undefined): string[] => {
  if (raw === undefined || raw.trim() === '') throw new InvalidInputError('symbols: name them as a comma-separated list, like symbols=BTC-USDT,ETH-USDT');
  const symbols = raw.split(',').map((s) => parseSymbol(s.trim()));
  if (symbols.length > MAX_HOLDINGS) throw new InvalidInputError(`symbols: at most ${MAX_HOLDINGS}, got ${symbols.length}`);
  const repeated = symbols.filter((s, i) => symbols.indexOf(s) !== i);
  if (repeated.length > 0) throw new InvalidInputError(`symbols: ${repeated[0]} is named twice`);
  return symbols;
};

export const parseCovariance = (raw: string | undefined): CovarianceEstimator => {
  if (raw === undefined || raw === '') return 'sample';
  if (CovarianceEstimator.is(raw)) return raw;
  throw new InvalidInputError(`covariance: expected sample or ledoit-wolf, got ${describeValue(raw)}`);
};

const finiteNumber = (x: unknown, name: string): number => {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new InvalidInputError(`${name}: expected a finite number, got ${describeValue(x)}`);
  return x;
};

export const parseObjective = (body: { objective?: unknown; targetReturn?: unknown; targetVolatility?: unknown }): ObjectiveRequest => {
  switch (body.objective) {
    case 'min_volatility':
    case 'max_sharpe':
      return { objective: body.objective };
    case 'efficient_return':
      return { objective: 'efficient_return', targetReturn: finiteNumber(body.targetReturn, 'targetReturn') };
    case 'efficient_risk':
      return { objective: 'efficient_risk', targetVolatility: finiteNumber(body.targetVolatility, 'targetVolatility') };
    default:
      throw new InvalidInputError(`objective: expected min_volatility, max_sharpe, efficient_return (with targetReturn) or efficient_risk (with targetVolatility), got ${describeValue(body.objective)}`);
  }
};

/** `{"BTC-USDT": [0, 0.5]}`; the values are checked against each other by the optimiser. */
export const parseBounds = (raw: unknown): Record<string, readonly [number, number]> => {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InvalidInputError('bounds: expected an object like {"BTC-USDT": [0, 0.5]}');
  return Object.fromEntries(
    Object.entries(raw).map(([s, b]) => {
      if (!Array.isArray(b) || b.length !== 2 || !b.every((x) => typeof x === 'number')) throw new InvalidInputError(`bounds.${s}: expected [lower, upper], got ${describeValue(b)}`);
      return [parseSymbol(s), [b[0] as number, b[1] as number] as const];
    }),
  );
};

/** `{"BTC-USDT": -0.3}`: each a return (the stress test checks its range). */
export const parseShocks = (raw: unknown): Record<string, number> | undefined => {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InvalidInputError('shocks: expected an object like {"BTC-USDT": -0.3}');
  return Object.fromEntries(Object.entries(raw).map(([s, x]) => [parseSymbol(s), finiteNumber(x, `shocks.${s}`)]));
};

export const MAX_SCENARIOS = 50;
export const parseScenarioCount = (raw: number | undefined): number => parseInteger(raw?.toString(), 'count', { min: 1, max: MAX_SCENARIOS }, 5)!;

export const MAX_FRONTIER_POINTS = 200;
export const parseFrontierPoints = (raw: string | undefined): number => parseInteger(raw, 'points', { min: 2, max: MAX_FRONTIER_POINTS }, 20)!;
