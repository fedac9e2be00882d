/** The VaR backtest and its statistics: properties for every series of exceptions, and the Basel table. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baselZone, binomialCdf } from '../../../src/domain/risk/baselZone.js';
import { christoffersenIndependence, kupiecPof, transitions } from '../../../src/domain/risk/coverageTests.js';
import { chiSquareSurvival, normalCdf, normalQuantile } from '../../../src/domain/risk/normal.js';
import { ascending } from '../../../src/domain/risk/quantile.js';
import { slide } from '../../../src/domain/risk/sortedWindow.js';
import { varBacktest } from '../../../src/domain/risk/varBacktest.js';
import { DAY_MS } from '../../../src/domain/time.js';

const hitsArb = fc.array(fc.boolean(), { minLength: 2, maxLength: 400 });

describe('VaR backtest statistics', () => {
  it('Φ⁻¹ inverts Φ and is odd', () => {
    fc.assert(
      // The lower tail: above 0, Φ(x) rounds near 1 and only the symmetry below is exact.
      fc.property(fc.double({ min: -8, max: 0.5, noNaN: true }), (x) => {
        expect(Math.abs(normalQuantile(normalCdf(x)) - x)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x)));
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 1 - 1e-12, noNaN: true }), (q) => {
        // 1 − q is exact for q ≥ 0.5 (Sterbenz), so both sides ask for the same probability.
        expect(Math.abs(normalQuantile(q) + normalQuantile(1 - q))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(normalQuantile(q))));
      }),
    );
  });

  it('likelihood ratios are non-negative with p-values in [0, 1]; Kupiec is 0 when the observed rate is the expected one', () => {
    fc.assert(
      fc.property(hitsArb, fc.double({ min: 0.001, max: 0.2, noNaN: true }), (hits, p) => {
        for (const lr of [kupiecPof(hits, p), christoffersenIndependence(hits)]) {
          expect(lr.statistic).toBeGreaterThanOrEqual(0);
          expect(lr.pValue).toBeGreaterThanOrEqual(0);
          expect(lr.pValue).toBeLessThanOrEqual(1);
        }
        const x = hits.filter(Boolean).length;
        if (x > 0) expect(kupiecPof(hits, x / hits.length).statistic).toBeLessThan(1e-9);
      }),
    );
  });

  it('transitions count every consecutive pair once', () => {
    fc.assert(
      fc.property(hitsArb, (hits) => {
        const t = transitions(hits);
        expect(t.n00 + t.n01 + t.n10 + t.n11).toBe(hits.length - 1);
        expect(t.n01 + t.n11).toBe(hits.slice(1).filter(Boolean).length);
      }),
    );
  });

  it('chi-square survival decreases in the statistic, from 1 at 0', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 200, noNaN: true }), fc.double({ min: 0, max: 200, noNaN: true }), fc.constantFrom(1 as const, 2 as const), (a, b, df) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(chiSquareSurvival(lo, df)).toBeGreaterThanOrEqual(chiSquareSurvival(hi, df));
        expect(chiSquareSurvival(0, df)).toBe(1);
      }),
    );
  });

  it('the Basel zones of 250 days at 99% are the published table: 0–4 green, 5–9 yellow, 10 or more red', () => {
    const zones = Array.from({ length: 13 }, (_, x) => baselZone(x, 250).zone);
    expect(zones).toEqual(['green', 'green', 'green', 'green', 'green', 'yellow', 'yellow', 'yellow', 'yellow', 'yellow', 'red', 'red', 'red']);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0.001, max: 0.5, noNaN: true }), (n, p) => {
        expect(binomialCdf(n, n, p)).toBeCloseTo(1, 9);
        for (let k = 1; k <= Math.min(n, 20); k++) expect(binomialCdf(k, n, p)).toBeGreaterThanOrEqual(binomialCdf(k - 1, n, p));
      }),
    );
  });

  it('a sliding sorted window equals the window sorted afresh at every step', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ min: -1, max: 1, noNaN: true }), fc.constantFrom(0, 0.01)), { minLength: 2, maxLength: 80 }), fc.integer({ min: 1, max: 30 }), (values, w) => {
        const window = Math.min(w, values.length);
        const sorted = ascending(values.slice(0, window));
        for (let t = window; t < values.length; t++) {
          slide(sorted, values[t - window]!, values[t]!);
          const fresh = ascending(values.slice(t - window + 1, t + 1));
          // Compared with ===: a −0 and a 0 may trade places, and are the same return.
          expect(sorted.length === fresh.length && sorted.every((x, i) => x === fresh[i])).toBe(true);
        }
      }),
    );
  });

  it('each tested day holds the VaR of the window ending that day beside the next return; an exception is a loss beyond it', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 5, maxLength: 120 }), fc.integer({ min: 2, max: 40 }), (values, window) => {
        const returns = values.map((value, i) => ({ time: i * DAY_MS, value }));
        const bt = varBacktest(returns, window, 0.99, 'historical');
        expect(bt.days.length).toBe(Math.max(0, values.length - window));
        bt.days.forEach((d, i) => {
          expect(d.time).toBe((window - 1 + i) * DAY_MS);
          expect(d.realised).toBe(values[window + i]);
          expect(d.exception).toBe(d.realised < -d.var);
        });
        expect(bt.exceptions).toBe(bt.days.filter((d) => d.exception).length);
      }),
    );
  });
});
