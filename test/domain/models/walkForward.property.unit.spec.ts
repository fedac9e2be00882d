/**
 * Walk-forward folds never leak: no training row is closer than the horizon to a test row (the
 * embargo), tuning never sees a test row, and the test blocks are contiguous and cover the rows
 * after the initial training share — on arbitrary time grids with gaps, horizons and fold counts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { embargoMs, innerSplit, outerFolds } from '../../../src/domain/models/walkForward.js';

const HOUR = 3_600_000;

/** Increasing bar starts on an hourly grid with gaps of 1..6 bars. */
const timesArb = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 60, maxLength: 400 }).map((steps) => {
  const out = new Float64Array(steps.length);
  let t = 0;
  steps.forEach((s, i) => (out[i] = t += s * HOUR));
  return out;
});

const caseArb = fc.record({ times: timesArb, folds: fc.integer({ min: 2, max: 6 }), fraction: fc.double({ min: 0.3, max: 0.7, noNaN: true }), horizon: fc.integer({ min: 1, max: 24 }) });

describe('walk-forward folds', () => {
  it('keep every training row at least the horizon before every test row, tune on training rows only, and tile the test span', () => {
    let checked = 0;
    fc.assert(
      fc.property(caseArb, ({ times, folds, fraction, horizon }) => {
        const embargo = embargoMs(horizon, HOUR);
        let splits;
        try {
          splits = outerFolds(times, folds, fraction, embargo);
        } catch {
          return true; // too few rows for this fold count: refused with an error, tested below
        }
        checked++;
        expect(splits).toHaveLength(folds);
        expect(splits[0]!.testStart).toBe(Math.floor(times.length * fraction));
        expect(splits[folds - 1]!.testEnd).toBe(times.length);
        splits.forEach((s, k) => {
          if (k > 0) expect(s.testStart).toBe(splits[k - 1]!.testEnd);
          expect(s.testEnd).toBeGreaterThan(s.testStart);
          // The target of the newest training row ends before the first test row's features start.
          const newestTrain = times[s.trainEnd - 1]!;
          for (let r = s.testStart; r < s.testEnd; r++) expect(times[r]! - newestTrain).toBeGreaterThan(horizon * HOUR);
          expect(newestTrain + (horizon + 1) * HOUR).toBeLessThanOrEqual(times[s.testStart]!);
          // Every allowed row is used (expanding window): the next row would break the embargo.
          if (s.trainEnd < s.testStart) expect(times[s.trainEnd]! + (horizon + 1) * HOUR).toBeGreaterThan(times[s.testStart]!);
          let inner;
          try {
            inner = innerSplit(times, s.trainEnd, embargo);
          } catch {
            return;
          }
          expect(inner.testEnd).toBe(s.trainEnd);
          expect(inner.testEnd).toBeLessThanOrEqual(s.testStart);
          expect(times[inner.trainEnd - 1]! + (horizon + 1) * HOUR).toBeLessThanOrEqual(times[inner.testStart]!);
        });
        return true;
      }),
      { numRuns: 300 },
    );
    // Most generated series are long enough: the property was checked, not skipped by refusals.
    expect(checked).toBeGreaterThan(150);
  });

  it('refuses a series too short for its folds with an error that says what to do', () => {
    expect(() => outerFolds(Float64Array.from([0, HOUR, 2 * HOUR, 3 * HOUR]), 5, 0.5, embargoMs(1, HOUR))).toThrow(/train on a longer range or ask for fewer folds/);
  });
});
