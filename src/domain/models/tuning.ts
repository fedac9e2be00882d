/**
 * Hyperparameter choice inside one fold's training rows, never its test rows: every grid point is
 * fitted on the inner training rows and scored on the newest 20% (innerSplit, with the embargo);
 * regression keeps the lowest MAE, classification the highest accuracy, a tie the first point.
 */
import type { GridPoint } from './hyperparameters.js';
import type { Learner } from './learner.js';
import { classificationMetrics, regressionMetrics } from './metrics.js';
import { innerSplit } from './walkForward.js';

export interface TuningInput {
  readonly x: Float64Array;
  readonly p: number;
  readonly y: Float64Array;
  readonly times: Float64Array;
  readonly embargo: number;
  readonly seed: number;
  readonly classes: number;
}

/** Predictions of `model` for rows [from, to). */
export const predictRows = <M>(learner: Learner<M>, model: M, x: Float64Array, p: number, from: number, to: number): Float64Array => {
  const out = new Float64Array(to - from);
  for (let r = from; r < to; r++) out[r - from] = learner.predict(model, x, r * p);
  return out;
};

/** Fits on rows [0, end). */
export const fitPrefix = <M>(learner: Learner<M>, input: TuningInput, end: number, point: GridPoint) =>
  learner.fit(input.x.subarray(0, end * input.p), input.p, input.y.subarray(0, end), point, input.seed);

/** The chosen point for training rows [0, trainEnd); `tick` after each fit. A single point needs no fit. */
export const tune = <M>(learner: Learner<M>, input: TuningInput, trainEnd: number, points: readonly GridPoint[], tick: () => void): GridPoint => {
  if (points.length === 1) return points[0]!;
  const split = innerSplit(input.times, trainEnd, input.embargo);
  const truth = input.y.subarray(split.testStart, split.testEnd);
  let best = points[0]!;
  let bestScore = Infinity;
  for (const point of points) {
    const fitted = fitPrefix(learner, input, split.trainEnd, point);
    const predicted = predictRows(learner, fitted.model, input.x, input.p, split.testStart, split.testEnd);
    // Lower is better: MAE, or −accuracy.
    const score = learner.task === 'regression' ? regressionMetrics(truth, predicted).mae : -classificationMetrics(truth, predicted, input.classes).accuracy;
    if (score < bestScore) {
      bestScore = score;
      best = point;
    }
    tick();
  }
  return best;
};
