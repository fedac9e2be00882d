/**
 * Training of a supervised model (return regression, trend classification) under walk-forward
 * validation: tune and fit per outer fold, pool the out-of-fold forecasts beside the naive ones,
 * calibrate the conformal intervals on them, then tune and fit the deployed model on every row.
 */
import { canonicalJson } from '../events/canonical.js';
import type { FeatureRow } from '../features/featureRow.js';
import { sha256Hex } from '../sha256.js';
import { INTERVAL_LEVELS, conformalHalfWidth, coverage } from './conformal.js';
import { buildDataset, intervalMs } from './dataset.js';
import { gridPoints } from './hyperparameters.js';
import type { Learner } from './learner.js';
import { learnerFor } from './learners.js';
import { classificationMetrics, regressionMetrics, skillOf, errorOf, type SupervisedMetrics } from './metrics.js';
import type { ModelJson } from './modelJson.js';
import { majorityClass, persistenceForecast, zeroForecast } from './naive.js';
import type { FoldReport, IntervalReport, NaiveComparison, TrainedModel } from './report.js';
import { defaultTrendThreshold, type ModelSpec } from './spec.js';
import { trendLabel, TREND_CLASSES } from './trend.js';
import { fitPrefix, predictRows, tune, type TuningInput } from './tuning.js';
import { embargoMs, outerFolds } from './walkForward.js';

export type Progress = (done: number, total: number) => void;

const CLASSES = TREND_CLASSES.length;

const normalised = (features: readonly string[], gains: Float64Array): Record<string, number> => {
  const total = gains.reduce((a, b) => a + b, 0);
  return Object.fromEntries(features.map((f, i) => [f, total > 0 ? gains[i]! / total : 0]));
};

export const trainSupervised = (spec: ModelSpec, rows: readonly FeatureRow[], onProgress?: Progress): TrainedModel => {
  const learner = learnerFor(spec) as Learner<ModelJson>;
  const classify = learner.task === 'classification';
  const ds = buildDataset(spec, rows);
  const threshold = spec.trendThreshold ?? defaultTrendThreshold(spec.horizonBars);
  const y = classify ? ds.y.map((v) => trendLabel(v, threshold)) : ds.y;
  const embargo = embargoMs(spec.horizonBars, intervalMs(spec));
  const folds = outerFolds(ds.times, spec.folds, spec.initialTrainFraction, embargo);
  const points = gridPoints(spec.grid);
  const input: TuningInput = { x: ds.x, p: ds.p, y, times: ds.times, embargo, seed: spec.seed, classes: CLASSES };
  const total = (folds.length + 1) * ((points.length > 1 ? points.length : 0) + 1);
  let done = 0;
  const tick = () => onProgress?.(++done, total);
  const metricsOf = (truth: ArrayLike<number>, predicted: ArrayLike<number>): SupervisedMetrics =>
    classify ? classificationMetrics(truth, predicted, CLASSES) : regressionMetrics(truth, predicted);

  const firstTest = folds[0]!.testStart;
  const outOfFold = new Float64Array(ds.n - firstTest);
  const naiveNames: NaiveComparison['name'][] = classify ? ['majority', 'persistence'] : ['zero-return'];
  const naive = naiveNames.map(() => new Float64Array(ds.n - firstTest));
  const perFold = folds.map((fold) => {
    const point = tune(learner, input, fold.trainEnd, points, tick);
    const fitted = fitPrefix(learner, input, fold.trainEnd, point);
    tick();
    const at = fold.testStart - firstTest;
    outOfFold.set(predictRows(learner, fitted.model, ds.x, ds.p, fold.testStart, fold.testEnd), at);
    const testRows = fold.testEnd - fold.testStart;
    if (classify) {
      const majority = majorityClass(y, fold.trainEnd, CLASSES);
      naive[0]!.fill(majority, at, at + testRows);
      const lagMs = embargo;
      naive[1]!.set(persistenceForecast({ times: ds.times, targetsByTime: ds.targetsByTime, lagMs, threshold }, fold.testStart, fold.testEnd, majority), at);
    } else naive[0]!.set(zeroForecast(testRows), at);
    return { fold, point, at, testRows };
  });

  const truth = y.subarray(firstTest);
  const metrics = metricsOf(truth, outOfFold);
  const comparisons = naiveNames.map((name, i) => ({ name, metrics: metricsOf(truth, naive[i]!) }));
  const better = comparisons.reduce((a, b) => (errorOf(b.metrics) < errorOf(a.metrics) ? b : a));
  const betterIndex = comparisons.indexOf(better);
  const foldReports: FoldReport[] = perFold.map(({ fold, point, at, testRows }) => ({
    trainRows: fold.trainEnd,
    testRows,
    testFrom: ds.times[fold.testStart]!,
    testTo: ds.times[fold.testEnd - 1]!,
    chosenParams: { ...point },
    metrics: metricsOf(y.subarray(fold.testStart, fold.testEnd), outOfFold.subarray(at, at + testRows)),
    naiveMetrics: metricsOf(y.subarray(fold.testStart, fold.testEnd), naive[betterIndex]!.subarray(at, at + testRows)),
  }));

  const chosen = tune(learner, input, ds.n, points, tick);
  const deployed = fitPrefix(learner, input, ds.n, chosen);
  tick();
  const skill = skillOf(metrics, better.metrics);
  const model = deployed.model;
  return {
    report: {
      // A classifier's spec records the threshold it used, defaulted or not: predictions name it.
      spec: classify ? { ...spec, trendThreshold: threshold } : spec,
      chosenParams: { ...chosen },
      usableRows: ds.n,
      droppedRows: ds.droppedRows,
      rowsWithoutTarget: ds.rowsWithoutTarget,
      trainingRange: { from: ds.times[0]!, to: ds.times[ds.n - 1]! },
      metrics,
      naiveMetrics: better.metrics,
      naiveForecast: better.name,
      naiveComparisons: comparisons,
      skill,
      beatsNaive: skill !== null && skill > 0,
      ...(classify ? {} : { intervals: conformalIntervals(truth, outOfFold, perFold[perFold.length - 1]!.at) }),
      importances: normalised(spec.features, deployed.gains),
      folds: foldReports,
    },
    model,
    modelHash: sha256Hex(canonicalJson(model)),
  };
};

/** Calibrated on the folds before the last, measured on the last; deployed with every fold's residuals. */
const conformalIntervals = (truth: Float64Array, predicted: Float64Array, lastFoldAt: number): IntervalReport[] => {
  const residuals = truth.map((v, i) => Math.abs(v - predicted[i]!));
  const calibration = residuals.subarray(0, lastFoldAt);
  const held = residuals.subarray(lastFoldAt);
  return INTERVAL_LEVELS.map((level) => ({
    level,
    halfWidth: conformalHalfWidth(residuals, level),
    coverage: coverage(held, conformalHalfWidth(calibration, level)),
  }));
};
