/**
 * Strategies as data: each kind names its parameters, and a request gives each parameter either
 * one value or a list of values (a grid). `expandGrid` turns a grid into the concrete strategies
 * it holds, in a fixed order (the last parameter varies fastest), so that "the first best" of an
 * optimisation is reproducible.
 */
import * as t from 'io-ts';
import { InvalidInputError } from '../errors.js';
import { validate } from '../validation.js';

/** Long while bullish, flat otherwise; or long while bullish and short while bearish. */
export type PositionMode = 'long-only' | 'long-short';

/** Long while the fast simple moving average of closes is above the slow one. */
export interface SmaCrossover {
  readonly kind: 'sma-crossover';
  readonly fast: number;
  readonly slow: number;
}
/** Buy when RSI falls below `lower` (oversold), sell when it rises above `upper`. */
export interface RsiThresholds {
  readonly kind: 'rsi-thresholds';
  readonly window: number;
  readonly lower: number;
  readonly upper: number;
}
/** Buy a close above the upper band (mean + k·σ), leave on a close below the middle band. */
export interface BollingerBreakout {
  readonly kind: 'bollinger-breakout';
  readonly window: number;
  readonly k: number;
}
/**
 * Follow a model: each bar carries the return (or direction, −1/0/+1) a model predicted at its
 * close for the next bar; buy when it is above `threshold`, sell when below −threshold.
 */
export interface FollowPredictions {
  readonly kind: 'follow-predictions';
  readonly threshold: number;
}

export type Strategy = SmaCrossover | RsiThresholds | BollingerBreakout | FollowPredictions;
export type StrategyKind = Strategy['kind'];

/** A grid: each numeric parameter of a kind as one value or a list of values. */
type Grid<S extends Strategy> = { readonly kind: S['kind'] } & { readonly [K in Exclude<keyof S, 'kind'>]: number | readonly number[] };
export type StrategyGrid = Grid<SmaCrossover> | Grid<RsiThresholds> | Grid<BollingerBreakout> | Grid<FollowPredictions>;

const Values = t.union([t.number, t.array(t.number)]);
export const StrategyGridCodec = t.union([
  t.type({ kind: t.literal('sma-crossover'), fast: Values, slow: Values }),
  t.type({ kind: t.literal('rsi-thresholds'), window: Values, lower: Values, upper: Values }),
  t.type({ kind: t.literal('bollinger-breakout'), window: Values, k: Values }),
  t.type({ kind: t.literal('follow-predictions'), threshold: Values }),
]);

/** More combinations than this is a research batch job, not one backtest request. */
export const MAX_GRID_SIZE = 10_000;
/** Windows longer than a year of daily bars are not what these indicators are for. */
export const MAX_WINDOW = 10_000;

const isWindow = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= MAX_WINDOW;

/** Why one concrete strategy cannot run, or undefined when it can. */
export const strategyProblem = (s: Strategy): string | undefined => {
  switch (s.kind) {
    case 'sma-crossover':
      if (!isWindow(s.fast) || !isWindow(s.slow)) return `sma-crossover: windows must be integers 1..${MAX_WINDOW}, got fast ${s.fast}, slow ${s.slow}`;
      return s.fast < s.slow ? undefined : `sma-crossover: fast (${s.fast}) must be shorter than slow (${s.slow})`;
    case 'rsi-thresholds':
      if (!isWindow(s.window)) return `rsi-thresholds: window must be an integer 1..${MAX_WINDOW}, got ${s.window}`;
      return s.lower > 0 && s.lower < s.upper && s.upper < 100 ? undefined : `rsi-thresholds: need 0 < lower < upper < 100, got lower ${s.lower}, upper ${s.upper}`;
    case 'bollinger-breakout':
      if (!isWindow(s.window) || s.window < 2) return `bollinger-breakout: window must be an integer 2..${MAX_WINDOW}, got ${s.window}`;
      return s.k > 0 && Number.isFinite(s.k) ? undefined : `bollinger-breakout: k must be a positive number, got ${s.k}`;
    case 'follow-predictions':
      return s.threshold >= 0 && Number.isFinite(s.threshold) ? undefined : `follow-predictions: threshold must be ≥ 0, got ${s.threshold}`;
  }
};

const listOf = (v: number | readonly number[]): readonly number[] => (typeof v === 'number' ? [v] : v);

/**
 * A combination whose values are each fine but out of order (fast not shorter than slow, lower
 * not below upper): a grid over two ranges naturally holds these, and they are left out.
 */
const outOfOrder = (s: Strategy): boolean =>
  (s.kind === 'sma-crossover' && isWindow(s.fast) && isWindow(s.slow) && s.fast >= s.slow) ||
  (s.kind === 'rsi-thresholds' && isWindow(s.window) && s.lower > 0 && s.upper < 100 && s.lower >= s.upper);

/**
 * Every concrete strategy of a grid that can run, out-of-order combinations left out. Any other
 * problem (a window of 0, a negative k) is an error naming the value, as is a grid left with none.
 */
export const expandGrid = (input: unknown): Strategy[] => {
  const v = validate(StrategyGridCodec, input, 'strategy');
  if (!v.ok) throw new InvalidInputError(v.reason);
  const { kind, ...params } = v.value;
  let combos: Array<Record<string, number>> = [{}];
  for (const [name, value] of Object.entries(params) as Array<[string, number | number[]]>) {
    const values = listOf(value);
    if (values.length === 0) throw new InvalidInputError(`strategy.${name}: give a value or a non-empty list`);
    combos = combos.flatMap((c) => values.map((x) => ({ ...c, [name]: x })));
    if (combos.length > MAX_GRID_SIZE) throw new InvalidInputError(`strategy: the grid has more than ${MAX_GRID_SIZE} combinations`);
  }
  const strategies = combos.map((c) => ({ kind, ...c }) as Strategy).filter((s) => !outOfOrder(s));
  if (strategies.length === 0) throw new InvalidInputError(`strategy: no combination of the grid is in order (fast < slow, lower < upper)`);
  for (const s of strategies) {
    const problem = strategyProblem(s);
    if (problem !== undefined) throw new InvalidInputError(problem);
  }
  return strategies;
};

/** The bars a strategy needs before its first signal: the first one comes at index warmup − 1. */
export const warmupBars = (s: Strategy): number => {
  switch (s.kind) {
    case 'sma-crossover':
      return s.slow;
    case 'rsi-thresholds':
      // RSI averages `window` price changes, which takes window + 1 closes.
      return s.window + 1;
    case 'bollinger-breakout':
      return s.window;
    case 'follow-predictions':
      return 1;
  }
};

export const describeStrategy = (s: Strategy): string => {
  const { kind, ...params } = s;
  return `${kind}(${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ')})`;
};
