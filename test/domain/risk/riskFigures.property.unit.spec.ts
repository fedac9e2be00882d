/** Properties of the risk folds that hold for every series of returns, whatever its values. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxDrawdown } from '../../../src/domain/risk/drawdown.js';
import { historicalCvar, historicalVar, parametricVar, riskFigures } from '../../../src/domain/risk/riskFigures.js';
import { ascending, linearQuantile } from '../../../src/domain/risk/quantile.js';
import { simpleReturns } from '../../../src/domain/risk/returns.js';
import { DAY_MS } from '../../../src/domain/time.js';

/** A return is above −100%: a price stays positive. */
const returnArb = fc.oneof(fc.double({ min: -0.99, max: 3, noNaN: true }), fc.constantFrom(0, 0.01, -0.01));
const seriesArb = fc.array(returnArb, { minLength: 2, maxLength: 200 });
const levelArb = fc.double({ min: 0.5, max: 0.999, noNaN: true });
const defs = { annualisation: 365, riskFree: 0 };
const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

describe('risk folds', () => {
  it('historical VaR grows with the confidence level, and CVaR is never below VaR', () => {
    fc.assert(
      fc.property(seriesArb, levelArb, levelArb, (r, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const sorted = ascending(r);
        expect(historicalVar(sorted, hi)).toBeGreaterThanOrEqual(historicalVar(sorted, lo));
        expect(historicalCvar(sorted, lo)).toBeGreaterThanOrEqual(historicalVar(sorted, lo) - 1e-15);
      }),
    );
  });

  it('parametric VaR grows with the confidence level', () => {
    fc.assert(
      fc.property(seriesArb, levelArb, levelArb, (r, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(parametricVar(r, hi)).toBeGreaterThanOrEqual(parametricVar(r, lo) - 1e-15);
      }),
    );
  });

  it('max drawdown lies in [−1, 0] and is 0 for a path that never falls', () => {
    fc.assert(
      fc.property(seriesArb, (r) => {
        const dd = maxDrawdown(r);
        expect(dd).toBeGreaterThanOrEqual(-1);
        expect(dd).toBeLessThanOrEqual(0);
        expect(maxDrawdown(r.map(Math.abs))).toBe(0);
      }),
    );
  });

  it('a quantile lies between the smallest and largest value, equal to them at 0 and 1', () => {
    fc.assert(
      fc.property(seriesArb, fc.double({ min: 0, max: 1, noNaN: true }), (r, q) => {
        const s = ascending(r);
        const x = linearQuantile(s, q);
        expect(x).toBeGreaterThanOrEqual(s[0]!);
        expect(x).toBeLessThanOrEqual(s[s.length - 1]!);
        // === rather than toBe: −0 and +0 are the same return.
        expect(linearQuantile(s, 0) === s[0]).toBe(true);
        expect(linearQuantile(s, 1) === s[s.length - 1]).toBe(true);
      }),
    );
  });

  it('figures other than the drawdown do not depend on the order of the returns', () => {
    fc.assert(
      fc.property(seriesArb, fc.integer(), (r, seed) => {
        const shuffled = [...r].map((x, i) => ({ x, k: Math.sin(seed + i) })).sort((p, q) => p.k - q.k).map((p) => p.x);
        const a = riskFigures(r, defs);
        const b = riskFigures(shuffled, defs);
        for (const level of ['0.95', '0.99'] as const) {
          expect(near(b.var[level].historicalVar!, a.var[level].historicalVar!)).toBe(true);
          expect(b.var[level].historicalCvar === null || near(b.var[level].historicalCvar!, a.var[level].historicalCvar!)).toBe(true);
        }
        if (a.volatility !== null) expect(near(b.volatility!, a.volatility)).toBe(true);
      }),
    );
  });

  it('scaling every return by c > 0 scales volatility and VaR by c and leaves Sharpe and Sortino unchanged', () => {
    fc.assert(
      // Returns on a 1e-9 grid: squares of subnormal returns underflow, and no price moves by less.
      fc.property(fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }).map((x) => Math.round(x * 1e9) / 1e9), { minLength: 3, maxLength: 100 }), fc.double({ min: 0.1, max: 3, noNaN: true }), (r, c) => {
        const a = riskFigures(r, defs);
        const b = riskFigures(r.map((x) => x * c), defs);
        if (a.volatility !== null && a.volatility > 1e-12) {
          expect(near(b.volatility!, a.volatility * c)).toBe(true);
          expect(near(b.sharpe!, a.sharpe!)).toBe(true);
        }
        if (a.sortino !== null && a.sortino !== 0) expect(near(b.sortino!, a.sortino)).toBe(true);
        expect(near(b.var['0.99'].historicalVar!, a.var['0.99'].historicalVar! * c)).toBe(true);
      }),
    );
  });

  it('returns depend on closes only through their ratios: scaling every close changes nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 50 }), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (closes, k) => {
        const bars = closes.map((close, i) => ({ time: i * DAY_MS, close }));
        const a = simpleReturns(bars, DAY_MS);
        const b = simpleReturns(bars.map((x) => ({ ...x, close: x.close * k })), DAY_MS);
        expect(b.length).toBe(closes.length - 1);
        b.forEach((r, i) => expect(Math.abs(r.value - a[i]!.value)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(a[i]!.value))));
      }),
    );
  });

  it('a window without two returns defines no volatility, Sharpe or parametric VaR: null, never NaN', () => {
    const f = riskFigures([0.05], defs);
    expect(f).toMatchObject({ observations: 1, volatility: null, sharpe: null });
    expect(f.var['0.95']).toEqual({ historicalVar: -0.05, historicalCvar: -0.05, parametricVar: null });
    expect(riskFigures([], defs)).toMatchObject({ observations: 0, meanReturn: null, maxDrawdown: null, var: { '0.99': { historicalVar: null } } });
  });
});
