/**
 * Rule params of every detector (of trades and of books): values inside the declared range are taken, values outside it
 * are refused with a reason naming the param and its range; recorded rules run as recorded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDetectorParams, checkRecordedDetectorParams, createDetector, detectorNames, paramsOf } from '../../../src/domain/detectors/catalogue.js';
import type { NumberParam } from '../../../src/domain/detectors/params.js';

const params = detectorNames().flatMap((detector) => Object.entries(paramsOf(detector)!).map(([name, p]) => ({ detector, name, p })));
/** Params that rules must give, at a valid value, so that each case varies one param only. */
const required = (detector: string): Record<string, number> =>
  Object.fromEntries(Object.entries(paramsOf(detector)!).filter(([, p]) => p.default === undefined).map(([n, p]) => [n, p.min]));

const valid = (p: NumberParam): fc.Arbitrary<number> => (p.integer === true ? fc.integer({ min: p.min, max: p.max }) : fc.double({ min: p.min, max: p.max, noNaN: true }));
const outside = (p: NumberParam): fc.Arbitrary<number> =>
  fc.oneof(
    fc.double({ max: p.min, noNaN: true }).filter((v) => v < p.min),
    fc.double({ min: p.max, noNaN: true }).filter((v) => v > p.max),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e308, -1e308),
  );

describe('detector params', () => {
  it('every param of every detector declares a finite range', () => {
    for (const { detector, name, p } of params) {
      expect(Number.isFinite(p.min) && Number.isFinite(p.max) && p.min <= p.max, `${detector}.${name}`).toBe(true);
      expect(p.max, `${detector}.${name}`).toBeLessThanOrEqual(1e12);
    }
  });

  it.each(params.map((x) => [`${x.detector}.${x.name}`, x] as const))('%s: any value in its range is taken, any other is refused naming the range', (_, { detector, name, p }) => {
    fc.assert(
      fc.property(valid(p), (v) => {
        const r = checkDetectorParams(detector, { ...required(detector), [name]: v });
        // A relation with another param (minHistoryWindows ≤ historyWindows) may refuse it; nothing else.
        if (!r.ok) expect(r.reason).toMatch(/: at most params\./);
      }),
    );
    fc.assert(
      fc.property(outside(p), (v) => {
        const r = checkDetectorParams(detector, { ...required(detector), [name]: v });
        expect(r).toEqual({ ok: false, reason: expect.stringContaining(`params.${name}: expected ${p.integer === true ? 'an integer' : 'a number'} from ${p.min} to ${p.max} (`) });
      }),
    );
  });

  it('a required param left out is named with its range', () => {
    expect(checkDetectorParams('price-level', {})).toEqual({ ok: false, reason: 'params.level: required, a number from 1e-12 to 1000000000000 (the price level)' });
  });

  it('a count of windows needed is at most the windows kept', () => {
    expect(checkDetectorParams('volume-spike', { historyWindows: 5, minHistoryWindows: 6 })).toEqual({ ok: false, reason: 'params.minHistoryWindows: at most params.historyWindows (5), got 6' });
    expect(checkDetectorParams('volume-spike', { historyWindows: 6, minHistoryWindows: 6 }).ok).toBe(true);
  });

  it('a rule recorded under a former, wider range still runs; one outside every range is refused', () => {
    const recorded = { level: 1e308, direction: 0, bandBps: 10 };
    expect(checkDetectorParams('price-level', recorded).ok).toBe(false);
    expect(checkRecordedDetectorParams('price-level', recorded)).toEqual({ ok: true, value: recorded });
    expect(() => createDetector('price-level', recorded, { championsOf: () => [] })).not.toThrow();
    expect(checkRecordedDetectorParams('flash-move', { k: -1 })).toMatchObject({ ok: false, reason: expect.stringContaining('params.k: expected a number from 1 to 100') });
  });
});
