/**
 * What a portfolio holds, beyond the codec's shape: weights are long-only fractions summing to 1;
 * positions are positive quantities. A portfolio's weights on a day are its own (weights) or its
 * positions' values at that day's closes over their sum (positions).
 */
import { InvalidInputError } from '../errors.js';
import type { HoldingsData } from '../events/portfolio.js';

/** Weights must sum to 1 within this (a client's 1/3 written as 0.3333333333 passes, 0.33 does not). */
export const WEIGHT_SUM_TOLERANCE = 1e-6;
/** Symbols a portfolio may hold: one OHLCV read each per answer. */
export const MAX_HOLDINGS = 100;

export type Weights = Readonly<Record<string, number>>;

export const holdingSymbols = (h: HoldingsData): string[] => Object.keys(h.kind === 'weights' ? h.weights : h.positions).sort();

/** Throws an InvalidInputError naming what is wrong and what would be right. */
export const checkHoldings = (h: HoldingsData): void => {
  const entries = Object.entries(h.kind === 'weights' ? h.weights : h.positions);
  if (entries.length === 0) throw new InvalidInputError(`holdings.${h.kind}: name at least one symbol`);
  if (entries.length > MAX_HOLDINGS) throw new InvalidInputError(`holdings.${h.kind}: at most ${MAX_HOLDINGS} symbols, got ${entries.length}`);
  for (const [symbol, x] of entries) {
    const ok = Number.isFinite(x) && (h.kind === 'weights' ? x >= 0 && x <= 1 : x > 0);
    if (!ok) {
      const want = h.kind === 'weights' ? 'a weight from 0 to 1 (portfolios are long-only)' : 'a positive quantity';
      throw new InvalidInputError(`holdings.${h.kind}.${symbol}: expected ${want}, got ${x}`);
    }
  }
  if (h.kind === 'weights') {
    const sum = entries.reduce((s, [, w]) => s + w, 0);
    if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
      throw new InvalidInputError(`holdings.weights: the weights sum to ${sum}; they must sum to 1 (within ${WEIGHT_SUM_TOLERANCE})`);
    }
  }
};

/**
 * The weights on a day: given weights as they are; positions valued at `closes` (the day's close
 * of each symbol, which the caller has checked exist) over the portfolio's value.
 */
export const weightsOf = (h: HoldingsData, closes: Readonly<Record<string, number>>): Weights => {
  if (h.kind === 'weights') return h.weights;
  const values = Object.entries(h.positions).map(([s, q]) => [s, q * closes[s]!] as const);
  const total = values.reduce((sum, [, v]) => sum + v, 0);
  return Object.fromEntries(values.map(([s, v]) => [s, v / total]));
};
