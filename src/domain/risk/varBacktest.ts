/**
 * VaR backtesting: each day's VaR (from the window of returns ending that day) beside the next
 * day's realised return; an exception is a return below −VaR. Judged by Kupiec, Christoffersen
 * and, at 99%, the Basel traffic light over its last 250 days.
 */
import { BASEL_DAYS, BASEL_LEVEL, baselZone, type BaselZone } from './baselZone.js';
import { christoffersenIndependence, conditionalCoverage, kupiecPof, type LikelihoodRatio } from './coverageTests.js';
import { historicalVar, parametricVar } from './riskFigures.js';
import { ascending } from './quantile.js';
import { slide } from './sortedWindow.js';

export type VarMethod = 'historical' | 'parametric';

export interface BacktestDay {
  /** Start of the bar whose window the VaR is computed from. */
  readonly time: number;
  readonly var: number;
  /** The following bar's return. */
  readonly realised: number;
  readonly exception: boolean;
}

export interface VarBacktest {
  readonly level: number;
  readonly method: VarMethod;
  readonly days: readonly BacktestDay[];
  readonly exceptions: number;
  readonly expectedExceptions: number;
  readonly kupiec: LikelihoodRatio;
  readonly christoffersenIndependence: LikelihoodRatio;
  readonly conditionalCoverage: LikelihoodRatio;
  /** At the Basel level (99%) only, over the last 250 days (or all there are when fewer). */
  readonly basel: { readonly zone: BaselZone; readonly days: number; readonly exceptions: number; readonly cumulativeProbability: number } | null;
}

/** The VaR of each window of `window` values ending at index t, for t from window − 1 to values.length − 2. */
const rollingVars = (values: readonly number[], window: number, level: number, method: VarMethod): number[] => {
  const out: number[] = [];
  if (method === 'parametric') {
    for (let t = window - 1; t + 1 < values.length; t++) out.push(parametricVar(values.slice(t - window + 1, t + 1), level));
    return out;
  }
  const sorted = ascending(values.slice(0, window));
  for (let t = window - 1; t + 1 < values.length; t++) {
    if (t >= window) slide(sorted, values[t - window]!, values[t]!);
    out.push(historicalVar(sorted, level));
  }
  return out;
};

/**
 * `returns` are consecutive bars' returns in time order, with their bar starts. The first VaR is
 * the one whose window of `window` returns is full; the last is the one before the final return.
 */
export const varBacktest = (
  returns: readonly { time: number; value: number }[],
  window: number,
  level: number,
  method: VarMethod,
): VarBacktest => {
  const values = returns.map((r) => r.value);
  const days: BacktestDay[] = rollingVars(values, window, level, method).map((v, i) => {
    const t = window - 1 + i;
    const realised = values[t + 1]!;
    return { time: returns[t]!.time, var: v, realised, exception: realised < -v };
  });
  const hits = days.map((d) => d.exception);
  const exceptions = hits.filter(Boolean).length;
  const kupiec = kupiecPof(hits, 1 - level);
  const independence = christoffersenIndependence(hits);
  const recent = hits.slice(-BASEL_DAYS);
  const recentExceptions = recent.filter(Boolean).length;
  return {
    level,
    method,
    days,
    exceptions,
    expectedExceptions: days.length * (1 - level),
    kupiec,
    christoffersenIndependence: independence,
    conditionalCoverage: conditionalCoverage(kupiec, independence),
    basel: level === BASEL_LEVEL && recent.length > 0 ? { ...baselZone(recentExceptions, recent.length), days: recent.length, exceptions: recentExceptions } : null,
  };
};
