/** Stress tests: worst days and weeks named by date, and a shock spread by the covariance's conditional expectation. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReturnMatrix } from '../../../src/domain/portfolio/alignedReturns.js';
import { historicalScenarios, shockScenario } from '../../../src/domain/portfolio/stress.js';
import { InvalidInputError } from '../../../src/domain/errors.js';
import { DAY_MS } from '../../../src/domain/time.js';

const T0 = Date.UTC(2024, 0, 1);
const matrix = (rows: number[][], symbols = ['A-USD', 'B-USD'], times = rows.map((_, t) => T0 + t * DAY_MS)): ReturnMatrix => ({ symbols, times, rows, missingBars: [] });

describe('historical scenarios', () => {
  const rows = [
    [0.01, 0.02],
    [-0.1, -0.05],
    [0.03, 0.01],
    [-0.02, -0.2],
    [0.0, 0.01],
    [0.01, 0.0],
    [0.02, 0.02],
    [-0.01, 0.03],
    [0.05, -0.01],
  ];

  it('names the worst days of the portfolio held at its weights, with every asset’s return', () => {
    const { worstDays } = historicalScenarios(matrix(rows), [0.5, 0.5], 2);
    expect(worstDays.map((d) => d.from)).toEqual(['2024-01-04', '2024-01-02']);
    expect(worstDays[0]).toMatchObject({ from: '2024-01-04', to: '2024-01-04', assets: { 'A-USD': -0.02, 'B-USD': -0.2 } });
    expect(worstDays[0]!.portfolioReturn).toBeCloseTo(-0.11, 15);
    expect(worstDays[0]!.loss).toBe(-worstDays[0]!.portfolioReturn);
    // Held all in A, the worst day is another one.
    expect(historicalScenarios(matrix(rows), [1, 0], 1).worstDays[0]!.from).toBe('2024-01-02');
  });

  it('compounds weeks of 7 consecutive days, never two that overlap, and skips weeks a missing day breaks', () => {
    const { worstWeeks } = historicalScenarios(matrix(rows), [0.5, 0.5], 5);
    // 9 days hold 3 weeks, all overlapping: one is named.
    expect(worstWeeks).toHaveLength(1);
    const w = worstWeeks[0]!;
    // The week of days 2-8 holds both big falls and the smaller of the first two rises.
    const daily = rows.slice(1, 8).map(([a, b]) => 0.5 * a! + 0.5 * b!);
    expect(w.from).toBe('2024-01-02');
    expect(w.to).toBe('2024-01-08');
    expect(w.assets['A-USD']).toBeCloseTo(rows.slice(1, 8).reduce((v, r) => v * (1 + r[0]!), 1) - 1, 15);
    expect(w.portfolioReturn).toBeCloseTo(daily.reduce((v, r) => v * (1 + r), 1) - 1, 15);
    const gap = matrix(rows, undefined, rows.map((_, t) => T0 + (t < 4 ? t : t + 1) * DAY_MS));
    expect(historicalScenarios(gap, [0.5, 0.5], 5).worstWeeks).toEqual([]);
  });
});

describe('shock scenario', () => {
  const rows = [
    [0.02, 0.01, 0.0],
    [-0.03, -0.02, 0.01],
    [0.01, 0.015, -0.01],
    [0.04, 0.02, 0.005],
    [-0.02, -0.01, 0.0],
  ];
  const m = matrix(rows, ['A-USD', 'B-USD', 'C-USD']);
  const cov = (i: number, j: number) => {
    const mean = (k: number) => rows.reduce((s, r) => s + r[k]!, 0) / rows.length;
    return rows.reduce((s, r) => s + (r[i]! - mean(i)) * (r[j]! - mean(j)), 0) / (rows.length - 1);
  };

  it('moves the others by Σ_os Σ_ss⁻¹ shock and answers the portfolio’s loss', () => {
    const r = shockScenario(m, [0.5, 0.3, 0.2], { 'A-USD': -0.3 });
    expect(r.assets['A-USD']).toBe(-0.3);
    expect(r.assets['B-USD']).toBeCloseTo((cov(1, 0) / cov(0, 0)) * -0.3, 14);
    expect(r.assets['C-USD']).toBeCloseTo((cov(2, 0) / cov(0, 0)) * -0.3, 14);
    expect(r.loss).toBeCloseTo(-(0.5 * -0.3 + 0.3 * r.assets['B-USD']! + 0.2 * r.assets['C-USD']!), 14);
    expect(r.method).toMatch(/Sigma_os Sigma_ss\^-1 shock/);
  });

  it('is linear in the shock, and a shock of every asset is the loss itself', () => {
    fc.assert(
      fc.property(fc.double({ min: -1, max: 2, noNaN: true }), fc.double({ min: -1, max: 2, noNaN: true }), (a, b) => {
        const one = shockScenario(m, [0.2, 0.3, 0.5], { 'A-USD': a, 'B-USD': b });
        const half = shockScenario(m, [0.2, 0.3, 0.5], { 'A-USD': a / 2, 'B-USD': b / 2 });
        expect(half.assets['C-USD']!).toBeCloseTo(one.assets['C-USD']! / 2, 12);
        const all = shockScenario(m, [0.2, 0.3, 0.5], { 'A-USD': a, 'B-USD': b, 'C-USD': 0.1 });
        expect(all.loss).toBeCloseTo(-(0.2 * a + 0.3 * b + 0.5 * 0.1), 12);
      }),
    );
  });

  it('refuses a shock it cannot spread, naming why', () => {
    expect(() => shockScenario(m, [1, 0, 0], { 'X-USD': -0.3 })).toThrow(/X-USD: not among the symbols/);
    expect(() => shockScenario(m, [1, 0, 0], { 'A-USD': -1.5 })).toThrow(/at least -1/);
    expect(() => shockScenario(m, [1, 0, 0], {})).toThrow(InvalidInputError);
    const twins = matrix(rows.map(([a]) => [a!, a!, 0.01]), ['A-USD', 'B-USD', 'C-USD']);
    expect(() => shockScenario(twins, [1, 0, 0], { 'A-USD': -0.1, 'B-USD': -0.1 })).toThrow(/singular/);
  });
});
