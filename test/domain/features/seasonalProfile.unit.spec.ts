/** The weekday × hour profile: every cell listed, each the mean and count of its own returns only. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seasonalProfile } from '../../../src/domain/features/seasonalProfile.js';

const HOUR = 3_600_000;
const MONDAY = Date.UTC(2024, 0, 1); // a Monday

describe('seasonal profile', () => {
  it('puts each return in its UTC weekday and hour, ISO weekdays from Monday', () => {
    const p = seasonalProfile([
      { time: MONDAY + 3 * HOUR, value: 0.02 },
      { time: MONDAY + 7 * 24 * HOUR + 3 * HOUR, value: -0.01 },
      { time: MONDAY + 6 * 24 * HOUR + 23 * HOUR, value: 0.5 },
    ]);
    expect(p).toHaveLength(168);
    expect(p.find((c) => c.dayOfWeek === 1 && c.hour === 3)).toEqual({ dayOfWeek: 1, hour: 3, meanLogReturn: (0.02 + -0.01) / 2, count: 2 });
    expect(p.find((c) => c.dayOfWeek === 7 && c.hour === 23)).toEqual({ dayOfWeek: 7, hour: 23, meanLogReturn: 0.5, count: 1 });
    expect(p.filter((c) => c.count === 0).every((c) => c.meanLogReturn === null)).toBe(true);
  });

  it('counts every return once, and each cell mean lies within its returns', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ h: fc.nat(24 * 7 * 8), value: fc.double({ min: -1, max: 1, noNaN: true }) }), { maxLength: 300 }), (rs) => {
        const returns = rs.map((r) => ({ time: MONDAY + r.h * HOUR, value: r.value }));
        const p = seasonalProfile(returns);
        expect(p.reduce((a, c) => a + c.count, 0)).toBe(returns.length);
        for (const c of p) {
          const own = returns.filter((r) => ((r.time - MONDAY) / HOUR) % 168 === (c.dayOfWeek - 1) * 24 + c.hour).map((r) => r.value);
          expect(c.count).toBe(own.length);
          if (own.length > 0) {
            expect(c.meanLogReturn!).toBeGreaterThanOrEqual(Math.min(...own) - 1e-12);
            expect(c.meanLogReturn!).toBeLessThanOrEqual(Math.max(...own) + 1e-12);
          }
        }
      }),
    );
  });
});
