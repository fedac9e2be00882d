/**
 * The daily returns of several symbols side by side: one row per day on which every symbol has a
 * return (its close and the previous day's), so that a portfolio's return and a covariance are
 * computed from the same days. A day some symbol lacks is left out for all and listed.
 */
import { missingBars, simpleReturns, type Close } from '../risk/returns.js';
import { DAY_MS } from '../time.js';

export interface ReturnMatrix {
  readonly symbols: readonly string[];
  /** Start of each row's UTC day, ascending. */
  readonly times: readonly number[];
  /** rows[t][i]: symbol i's return into day t. */
  readonly rows: readonly (readonly number[])[];
  /** Days in [from, to] at least one symbol has no close of (ascending, epoch ms). */
  readonly missingBars: readonly number[];
}

/** `closes[s]` in time order; only those in [from, to] are used. */
export const alignedReturns = (closes: Readonly<Record<string, readonly Close[]>>, symbols: readonly string[], from: number, to: number): ReturnMatrix => {
  const bySymbol = symbols.map((s) => {
    const inRange = (closes[s] ?? []).filter((c) => c.time >= from && c.time <= to);
    return { returns: new Map(simpleReturns(inRange, DAY_MS).map((r) => [r.time, r.value])), missing: missingBars(inRange, from, to, DAY_MS) };
  });
  const [first, ...rest] = bySymbol;
  const times = first === undefined ? [] : [...first.returns.keys()].filter((t) => rest.every((b) => b.returns.has(t)));
  return {
    symbols,
    times,
    rows: times.map((t) => bySymbol.map((b) => b.returns.get(t)!)),
    missingBars: [...new Set(bySymbol.flatMap((b) => b.missing))].sort((a, b) => a - b),
  };
};

/**
 * The portfolio's daily returns, rebalanced to the same weights every day: r_p,t = Σ_i w_i r_i,t.
 * `weights` is in the matrix's symbol order.
 */
export const portfolioReturns = (m: ReturnMatrix, weights: readonly number[]): { time: number; value: number }[] =>
  m.rows.map((row, t) => {
    let r = 0;
    for (let i = 0; i < row.length; i++) r += weights[i]! * row[i]!;
    return { time: m.times[t]!, value: r };
  });
