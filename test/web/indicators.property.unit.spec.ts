/** The dashboard's indicators (web/src/indicators.ts) against their definitions, on any prices. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bollinger, ema, macd, rsi, sma } from '../../web/src/indicators.js';

const prices = fc.array(fc.double({ min: 0.0001, max: 1e6, noNaN: true }), { minLength: 0, maxLength: 120 });
const period = fc.integer({ min: 1, max: 30 });
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

describe('chart indicators', () => {
  it('SMA(n) is the mean of the last n values, null before n values', () => {
    fc.assert(
      fc.property(prices, period, (xs, n) => {
        const out = sma(xs, n);
        expect(out).toHaveLength(xs.length);
        out.forEach((v, i) => {
          if (i < n - 1) expect(v).toBeNull();
          else expect(close(v!, xs.slice(i - n + 1, i + 1).reduce((a, b) => a + b, 0) / n)).toBe(true);
        });
      }),
    );
  });

  it('Bollinger bands are the SMA ± k population deviations of the same window', () => {
    fc.assert(
      fc.property(prices, period, fc.double({ min: 0, max: 4, noNaN: true }), (xs, n, k) => {
        const { middle, upper, lower } = bollinger(xs, n, k);
        middle.forEach((m, i) => {
          if (m === null) return expect([upper[i], lower[i]]).toEqual([null, null]);
          const w = xs.slice(i - n + 1, i + 1);
          const sd = Math.sqrt(w.reduce((s, x) => s + (x - m) ** 2, 0) / n);
          expect(close(upper[i]!, m + k * sd) && close(lower[i]!, m - k * sd)).toBe(true);
        });
      }),
    );
  });

  it('EMA of a constant is the constant; EMA(1) is the series itself', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e6, noNaN: true }), fc.integer({ min: 1, max: 60 }), period, (c, len, n) => {
        const out = ema(Array<number>(len).fill(c), n);
        out.forEach((v, i) => (i < n - 1 ? expect(v).toBeNull() : expect(close(v!, c)).toBe(true)));
      }),
    );
    fc.assert(
      fc.property(prices, (xs) => {
        expect(ema(xs, 1)).toEqual(xs);
      }),
    );
  });

  it('RSI stays within [0, 100], is 100 when prices only rise and 0 when they only fall', () => {
    fc.assert(
      fc.property(prices, period, (xs, n) => {
        const out = rsi(xs, n);
        expect(out).toHaveLength(xs.length);
        out.forEach((v, i) => (i < n ? expect(v).toBeNull() : expect(v! >= 0 && v! <= 100).toBe(true)));
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 80 }), period, (len, n) => {
        const rising = Array.from({ length: len }, (_, i) => 100 + i);
        expect(rsi(rising, n).slice(n).every((v) => v === 100)).toBe(true);
        expect(rsi([...rising].reverse(), n).slice(n).every((v) => v === 0)).toBe(true);
      }),
    );
  });

  it('MACD histogram is line − signal; a constant series has a zero MACD', () => {
    fc.assert(
      fc.property(prices, (xs) => {
        const m = macd(xs, 12, 26, 9);
        m.histogram.forEach((h, i) => (h === null ? expect(m.line[i] === null || m.signal[i] === null).toBe(true) : expect(close(h, m.line[i]! - m.signal[i]!)).toBe(true)));
        // The line starts at the slow EMA's first value, the signal 9 − 1 values later.
        expect(m.line.findIndex((v) => v !== null)).toBe(xs.length >= 26 ? 25 : -1);
        expect(m.signal.findIndex((v) => v !== null)).toBe(xs.length >= 34 ? 33 : -1);
      }),
    );
    expect(macd(Array<number>(60).fill(7)).line.slice(25).every((v) => v === 0)).toBe(true);
  });
});
