/**
 * A strategy's signals, one byte per bar, decided at that bar's close: enter or leave a long,
 * enter or leave a short. The execution (simulate.ts) acts on them at the next bar's open.
 * Indicators are computed once per window length and range (`IndicatorCache`), so that a grid of
 * 100 SMA pairs over 20 windows computes 20 averages, not 200.
 */
import { rollingStd, rsi, sma } from './indicators.js';
import type { Strategy } from './strategies.js';

export const LONG_ENTRY = 1;
export const LONG_EXIT = 2;
export const SHORT_ENTRY = 4;
export const SHORT_EXIT = 8;

/**
 * Two values within this relative distance are a tie, and a tie is no signal. Prices are decimals
 * with few digits, so a fast and a slow average (or an RSI and its threshold) are often exactly
 * equal in decimal and equal in binary only up to rounding, which differs with the order of the
 * additions: without a tolerance a tie would be decided by that noise, differently by every
 * implementation. 1e-10 of BTC at 20,000 is 2e-6 dollars.
 */
export const TIE = 1e-10;

/** a > b by more than a tie; false when either is NaN (a window not yet full). */
const above = (a: number, b: number): boolean => a - b > TIE * Math.max(Math.abs(a), Math.abs(b));

const BULLISH = LONG_ENTRY | SHORT_EXIT;
const BEARISH = LONG_EXIT | SHORT_ENTRY;

/** The bars of one backtest range (views into larger arrays are fine: nothing is written). */
export interface Bars {
  /** Open time of each bar, epoch ms, increasing. */
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly close: Float64Array;
}

/** Indicators of one range, each computed on first use. */
export interface IndicatorCache {
  sma(window: number): Float64Array;
  rsi(window: number): Float64Array;
  std(window: number): Float64Array;
}

export const indicatorCache = (close: Float64Array): IndicatorCache => {
  const memo = new Map<string, Float64Array>();
  const get = (key: string, compute: () => Float64Array): Float64Array => {
    let v = memo.get(key);
    if (v === undefined) memo.set(key, (v = compute()));
    return v;
  };
  const cache: IndicatorCache = {
    sma: (w) => get(`sma/${w}`, () => sma(close, w)),
    rsi: (w) => get(`rsi/${w}`, () => rsi(close, w)),
    std: (w) => get(`std/${w}`, () => rollingStd(close, w, cache.sma(w))),
  };
  return cache;
};

/**
 * Writes the strategy's signal of every bar into `out` (reused across a grid). Comparisons with
 * NaN are false, so bars before a window is full carry no signal; a tie (within TIE) is none either. `predictions` is the model's
 * value per bar (NaN where it made none); only follow-predictions reads it.
 */
export const writeSignals = (s: Strategy, bars: Bars, cache: IndicatorCache, out: Uint8Array, predictions?: Float64Array): Uint8Array => {
  const n = bars.close.length;
  switch (s.kind) {
    case 'sma-crossover': {
      const fast = cache.sma(s.fast);
      const slow = cache.sma(s.slow);
      for (let i = 0; i < n; i++) {
        const f = fast[i]!;
        const l = slow[i]!;
        out[i] = above(f, l) ? BULLISH : above(l, f) ? BEARISH : 0;
      }
      return out;
    }
    case 'rsi-thresholds': {
      const r = cache.rsi(s.window);
      for (let i = 0; i < n; i++) {
        const v = r[i]!;
        out[i] = above(s.lower, v) ? BULLISH : above(v, s.upper) ? BEARISH : 0;
      }
      return out;
    }
    case 'bollinger-breakout': {
      const mid = cache.sma(s.window);
      const sd = cache.std(s.window);
      const close = bars.close;
      for (let i = 0; i < n; i++) {
        const c = close[i]!;
        const m = mid[i]!;
        const band = s.k * sd[i]!;
        // Breakout above the upper band: long, until a close below the middle band; the mirror
        // for shorts (a close below the lower band, covered above the middle).
        out[i] = (above(c, m + band) ? LONG_ENTRY : 0) | (above(m, c) ? LONG_EXIT : 0) | (above(m - band, c) ? SHORT_ENTRY : 0) | (above(c, m) ? SHORT_EXIT : 0);
      }
      return out;
    }
    case 'follow-predictions': {
      if (predictions === undefined || predictions.length !== n) {
        throw new Error(`follow-predictions needs one prediction per bar (${n}), got ${predictions?.length ?? 'none'}`);
      }
      for (let i = 0; i < n; i++) {
        const p = predictions[i]!;
        out[i] = above(p, s.threshold) ? BULLISH : above(-s.threshold, p) ? BEARISH : 0;
      }
      return out;
    }
  }
};
