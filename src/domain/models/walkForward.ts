/**
 * Walk-forward validation's folds (docs/models.md, "Walk-forward validation"), as row ranges of a
 * time-sorted dataset: the first `initialTrainFraction` of rows only ever trains; the rest is cut into
 * K contiguous test blocks (the last takes the remainder); a block trains on every earlier row whose
 * target window ends before the block's first features start — the embargo:
 *   time_r + (h + 1)·interval ≤ time_s.
 * Tuning splits a fold's training rows again the same way (the last 20% validates), so no test row
 * ever chooses a hyperparameter. Rows are a prefix because times increase: ranges, not index lists.
 */
import { InvalidInputError } from '../errors.js';

/** Rows [0, trainEnd) train; rows [testStart, testEnd) are tested (or validated, for an inner split). */
export interface Split {
  readonly trainEnd: number;
  readonly testStart: number;
  readonly testEnd: number;
}

/** Share of a fold's training rows (the newest) that validates its grid points. */
export const VALIDATION_FRACTION = 0.2;

/** Rows before `start` whose target window (h bars after the row, plus the row's own bar) ends by `times[start]`. */
export const embargoedEnd = (times: Float64Array, start: number, embargoMs: number): number => {
  const limit = times[start]! - embargoMs;
  let lo = 0;
  let hi = start;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/** The embargo in ms: the row's bar and the h bars of its target. */
export const embargoMs = (horizonBars: number, intervalMs: number): number => (horizonBars + 1) * intervalMs;

export const outerFolds = (times: Float64Array, folds: number, initialTrainFraction: number, embargo: number): Split[] => {
  const n = times.length;
  const firstTest = Math.floor(n * initialTrainFraction);
  const blockSize = Math.floor((n - firstTest) / folds);
  if (blockSize < 1) throw new InvalidInputError(`walk-forward validation: ${n} usable rows leave fewer than one test row for each of ${folds} folds; train on a longer range or ask for fewer folds`);
  return Array.from({ length: folds }, (_, k) => {
    const testStart = firstTest + k * blockSize;
    const testEnd = k === folds - 1 ? n : testStart + blockSize;
    const trainEnd = embargoedEnd(times, testStart, embargo);
    if (trainEnd < 2) throw new InvalidInputError(`walk-forward validation: fold ${k + 1} has ${trainEnd} training rows after the embargo; train on a longer range`);
    return { trainEnd, testStart, testEnd };
  });
};

/** The tuning split of rows [0, trainEnd): the newest 20% validate, inner training keeps the embargo before them. */
export const innerSplit = (times: Float64Array, trainEnd: number, embargo: number): Split => {
  const testStart = Math.floor(trainEnd * (1 - VALIDATION_FRACTION));
  const innerEnd = embargoedEnd(times, testStart, embargo);
  if (innerEnd < 2 || testStart >= trainEnd) throw new InvalidInputError(`walk-forward tuning: ${trainEnd} training rows leave ${innerEnd} to fit and ${trainEnd - testStart} to validate after the embargo; train on a longer range`);
  return { trainEnd: innerEnd, testStart, testEnd: trainEnd };
};
