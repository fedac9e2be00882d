/**
 * A backtest: a grid of strategies scored on the bars, the best run in full; or walk-forward,
 * where each window's best (on its training bars) trades the bars that follow it. Every range's
 * indicators are computed from that range's bars alone, and once per window length for the grid.
 */
import { backtestMetrics, type BacktestMetrics } from './metrics.js';
import { indicatorCache, writeSignals, type Bars } from './signals.js';
import { DEFAULT_COSTS, DEFAULT_INITIAL_CASH, simulate, type Costs, type Trade } from './simulate.js';
import type { PositionMode, Strategy } from './strategies.js';

export interface WalkForward {
  /** Bars each optimisation is scored on. */
  readonly trainBars: number;
  /** Bars the chosen strategy then trades; the next window starts that many bars later. */
  readonly testBars: number;
}

export interface BacktestSpec {
  /** The grid, expanded (strategies.ts `expandGrid`); a single strategy is a grid of one. */
  readonly strategies: readonly Strategy[];
  readonly mode: PositionMode;
  readonly costs?: Costs;
  readonly initialCash?: number;
  readonly walkForward?: WalkForward;
}

export interface BacktestInput {
  readonly bars: Bars;
  /** One model prediction per bar (NaN where none), for follow-predictions. */
  readonly predictions?: Float64Array;
}

export interface GridScore {
  readonly strategy: Strategy;
  readonly finalEquity: number;
  readonly trades: number;
}

export interface WalkForwardSegment {
  readonly trainFrom: number;
  readonly trainTo: number;
  readonly testFrom: number;
  readonly testTo: number;
  readonly chosen: Strategy;
  /** The chosen strategy's final equity on its training bars, from the initial cash. */
  readonly trainEquity: number;
  /** Equity at the end of the traded bars (it carries into the next segment). */
  readonly testEquity: number;
}

export interface BacktestResult {
  readonly mode: PositionMode;
  readonly costs: Costs;
  readonly bars: { readonly count: number; readonly from: number; readonly to: number };
  /** The strategy traded: the grid's best (highest final equity, the first of equals); null with walk-forward, where each segment names its own. */
  readonly chosen: Strategy | null;
  /** The grid's scores over all bars, best first (at most GRID_SCORES_KEPT); empty with walk-forward. */
  readonly grid: readonly GridScore[];
  readonly gridSize: number;
  readonly walkForward: readonly WalkForwardSegment[] | null;
  readonly metrics: BacktestMetrics;
  readonly trades: readonly Trade[];
  /** Equity at the close of bars sampled evenly (at most EQUITY_POINTS, the last bar always). */
  readonly equity: ReadonlyArray<{ readonly time: number; readonly value: number }>;
  /** A short was covered for more cash than the account held (see simulate.ts). */
  readonly shortfall: boolean;
}

export const GRID_SCORES_KEPT = 20;
export const EQUITY_POINTS = 1_000;

/** Progress in work units: one per strategy scored and one per recorded run. */
export interface Progress {
  readonly done: number;
  readonly total: number;
}

const slice = (input: BacktestInput, from: number, to: number): BacktestInput => ({
  bars: { time: input.bars.time.subarray(from, to), open: input.bars.open.subarray(from, to), close: input.bars.close.subarray(from, to) },
  ...(input.predictions === undefined ? {} : { predictions: input.predictions.subarray(from, to) }),
});

type RunOptions = { mode: PositionMode; costs: Costs; initialCash: number };

/** Scores the strategies one at a time (a step each): one signal pass and one simulation pass per strategy, indicators shared. */
function* gridSteps(strategies: readonly Strategy[], input: BacktestInput, options: RunOptions): Generator<void, GridScore[]> {
  const cache = indicatorCache(input.bars.close);
  const signals = new Uint8Array(input.bars.close.length);
  const scores: GridScore[] = [];
  for (const strategy of strategies) {
    writeSignals(strategy, input.bars, cache, signals, input.predictions);
    const run = simulate(input.bars, signals, options);
    scores.push({ strategy, finalEquity: run.finalEquity, trades: run.trades });
    yield;
  }
  return scores;
}

/** Runs steps to the end, synchronously. */
const drain = <T>(steps: Generator<unknown, T>): T => {
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
  }
};

export const scoreGrid = (strategies: readonly Strategy[], input: BacktestInput, options: RunOptions): GridScore[] => drain(gridSteps(strategies, input, options));

/** The highest final equity; the first in grid order among equals, so a rerun chooses the same. */
export const bestOf = (scores: readonly GridScore[]): GridScore =>
  scores.reduce((best, s) => (s.finalEquity > best.finalEquity ? s : best));

const recordedRun = (strategy: Strategy, input: BacktestInput, options: RunOptions) => {
  const signals = writeSignals(strategy, input.bars, indicatorCache(input.bars.close), new Uint8Array(input.bars.close.length), input.predictions);
  return simulate(input.bars, signals, { ...options, record: true });
};

const sampled = (time: Float64Array, equity: Float64Array): Array<{ time: number; value: number }> => {
  const step = Math.max(1, Math.ceil(equity.length / EQUITY_POINTS));
  const out: Array<{ time: number; value: number }> = [];
  for (let i = 0; i < equity.length; i += step) out.push({ time: time[i]!, value: equity[i]! });
  const last = equity.length - 1;
  if (last >= 0 && (last % step !== 0)) out.push({ time: time[last]!, value: equity[last]! });
  return out;
};

/** Where each walk-forward window trains and trades: [trainFrom, trainTo) then [trainTo, testTo). */
export const walkForwardWindows = (bars: number, wf: WalkForward): Array<{ trainFrom: number; trainTo: number; testTo: number }> => {
  const out: Array<{ trainFrom: number; trainTo: number; testTo: number }> = [];
  for (let start = 0; start + wf.trainBars < bars; start += wf.testBars) {
    out.push({ trainFrom: start, trainTo: start + wf.trainBars, testTo: Math.min(bars, start + wf.trainBars + wf.testBars) });
  }
  return out;
};

/**
 * The backtest as steps: each yields the progress after one unit of work, and the last returns
 * the result, so that a caller can hand the thread back between steps (a job reporting progress
 * while an API process keeps answering) and a test can simply run it through (runBacktest).
 */
export function* backtestSteps(spec: BacktestSpec, input: BacktestInput): Generator<Progress, BacktestResult> {
  const costs = spec.costs ?? DEFAULT_COSTS;
  const initialCash = spec.initialCash ?? DEFAULT_INITIAL_CASH;
  const { time, close } = input.bars;
  const n = close.length;
  if (n < 2) throw new Error(`a backtest needs at least two bars, got ${n}`);
  if (spec.strategies.length === 0) throw new Error('a backtest needs at least one strategy');
  const options = { mode: spec.mode, costs, initialCash };
  const base = { mode: spec.mode, costs, bars: { count: n, from: time[0]!, to: time[n - 1]! }, gridSize: spec.strategies.length };

  if (spec.walkForward === undefined) {
    const total = spec.strategies.length + 1;
    let done = 0;
    let scores: GridScore[] = [];
    if (spec.strategies.length > 1) {
      const steps = gridSteps(spec.strategies, input, options);
      for (let next = steps.next(); ; next = steps.next()) {
        if (next.done === true) {
          scores = next.value;
          break;
        }
        yield { done: ++done, total };
      }
    }
    const chosen = scores.length === 0 ? spec.strategies[0]! : bestOf(scores).strategy;
    const run = recordedRun(chosen, input, options);
    yield { done: total, total };
    const trades = run.tradeList!;
    return {
      ...base,
      chosen,
      grid: [...scores].sort((a, b) => b.finalEquity - a.finalEquity).slice(0, GRID_SCORES_KEPT),
      walkForward: null,
      metrics: backtestMetrics({ time, close, equity: run.equity!, trades, barsInMarket: run.barsInMarket }, initialCash),
      trades,
      equity: sampled(time, run.equity!),
      shortfall: run.shortfall,
    };
  }

  const wf = spec.walkForward;
  if (!(Number.isInteger(wf.trainBars) && wf.trainBars >= 2 && Number.isInteger(wf.testBars) && wf.testBars >= 2)) {
    throw new Error(`walk-forward windows must be integers of at least 2 bars, got train ${wf.trainBars}, test ${wf.testBars}`);
  }
  const windows = walkForwardWindows(n, wf);
  if (windows.length === 0) throw new Error(`walk-forward: ${n} bars leave nothing to trade after a training window of ${wf.trainBars}`);
  const total = windows.length * (spec.strategies.length + 1);
  let done = 0;
  let cash = initialCash;
  const equity = new Float64Array(n - windows[0]!.trainTo);
  const trades: Trade[] = [];
  const segments: WalkForwardSegment[] = [];
  let barsInMarket = 0;
  let shortfall = false;
  for (const w of windows) {
    const steps = gridSteps(spec.strategies, slice(input, w.trainFrom, w.trainTo), options);
    let next = steps.next();
    for (; next.done !== true; next = steps.next()) yield { done: ++done, total };
    const best = bestOf(next.value);
    // The traded bars start flat with the equity the previous segment ended with.
    const offset = w.trainTo;
    const run = recordedRun(best.strategy, slice(input, offset, w.testTo), { ...options, initialCash: cash });
    yield { done: ++done, total };
    equity.set(run.equity!, offset - windows[0]!.trainTo);
    for (const t of run.tradeList!) trades.push({ ...t, entryBar: t.entryBar + offset, exitBar: t.exitBar + offset });
    barsInMarket += run.barsInMarket;
    shortfall ||= run.shortfall;
    segments.push({ trainFrom: time[w.trainFrom]!, trainTo: time[w.trainTo - 1]!, testFrom: time[offset]!, testTo: time[w.testTo - 1]!, chosen: best.strategy, trainEquity: best.finalEquity, testEquity: run.finalEquity });
    cash = run.finalEquity;
  }
  const tradedTime = time.subarray(windows[0]!.trainTo);
  return {
    ...base,
    chosen: null,
    grid: [],
    walkForward: segments,
    metrics: backtestMetrics({ time: tradedTime, close: close.subarray(windows[0]!.trainTo), equity, trades, barsInMarket }, initialCash),
    trades,
    equity: sampled(tradedTime, equity),
    shortfall,
  };
};

export const runBacktest = (spec: BacktestSpec, input: BacktestInput): BacktestResult => drain(backtestSteps(spec, input));
