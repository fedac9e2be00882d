/**
 * The embedded engine against scikit-learn and numpy (test/support/model_reference.py): the metrics
 * of the same predictions equal to 1e-12, the conformal half-width equal, and the learners' held-out
 * quality, on the same walk-forward folds with the same chosen parameters, within stated tolerances:
 * GBT's pooled out-of-fold MAE within 5% of HistGradientBoostingRegressor's and of
 * GradientBoostingRegressor's; the random forest's accuracy within 3 points of
 * RandomForestClassifier's (bootstraps and feature draws differ, so equality is not expected).
 * On generated rows and on the shared daily data (Bitcoin). Needs the stack's Python: under
 * CI=true its absence, or the data's, fails.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conformalHalfWidth } from '../../../src/domain/models/conformal.js';
import { buildDataset, intervalMs } from '../../../src/domain/models/dataset.js';
import { classificationMetrics, regressionMetrics } from '../../../src/domain/models/metrics.js';
import { DEFAULT_FEATURES, DEFAULT_FOREST_GRID, DEFAULT_GBT_GRID, trainModel, type ModelSpec, type TrainedModel } from '../../../src/domain/models/index.js';
import { trendLabel } from '../../../src/domain/models/trend.js';
import { embargoMs, outerFolds } from '../../../src/domain/models/walkForward.js';
import type { FeatureRow } from '../../../src/domain/features/featureRow.js';
import { DAILY_OHLCV } from '../../support/dailyOhlcv.js';
import { DAILY_FEATURES, dailyFeatureRows } from '../../support/dailyFeatureRows.js';
import { syntheticRows } from '../../support/modelRows.js';
import { closeTo, pythonStack, runPythonReference } from '../../support/pythonReference.js';
import { requireSharedData } from '../../support/sharedData.js';

const data = requireSharedData(DAILY_OHLCV);

type Figures = Record<string, number>;
interface ReferenceAnswer {
  metrics: Figures[];
  conformal: number[];
  quality: Array<Record<string, Figures>>;
}

const regressionArb = fc.integer({ min: 1, max: 300 }).chain((n) =>
  fc.record({
    // Values on a coarse grid, so zeros and equal signs on both sides occur.
    y: fc.array(fc.integer({ min: -20, max: 20 }).map((v) => v / 1000), { minLength: n, maxLength: n }),
    predicted: fc.array(fc.oneof(fc.constant(0), fc.double({ min: -0.05, max: 0.05, noNaN: true })), { minLength: n, maxLength: n }),
  }),
);
const classificationArb = fc.integer({ min: 1, max: 300 }).chain((n) =>
  fc.record({ y: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }), predicted: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }) }),
);
const residualsArb = fc.array(fc.oneof(fc.constant(0.01), fc.double({ min: 0, max: 0.1, noNaN: true })), { minLength: 1, maxLength: 400 });

/** The walk-forward folds of a trained model, with the parameters each fold chose, for the reference to refit. */
const qualityCase = (spec: ModelSpec, rows: readonly FeatureRow[], trained: TrainedModel) => {
  const ds = buildDataset(spec, rows);
  const folds = outerFolds(ds.times, spec.folds, spec.initialTrainFraction, embargoMs(spec.horizonBars, intervalMs(spec)));
  const x = Array.from({ length: ds.n }, (_, r) => Array.from(ds.x.subarray(r * ds.p, (r + 1) * ds.p)));
  const classify = spec.kind === 'trend-classification';
  const y = Array.from(ds.y, (v) => (classify ? trendLabel(v, spec.trendThreshold!) : v));
  return {
    task: classify ? 'classification' : 'regression',
    x,
    y,
    seed: spec.seed,
    folds: folds.map((f, k) => ({ ...f, params: trained.report.folds[k]!.chosenParams })),
  };
};

const gbtSpec = (interval: '1h' | '1d', features: readonly string[]): ModelSpec => ({ kind: 'return-regression', algorithm: 'gbt', interval, horizonBars: 1, features, grid: DEFAULT_GBT_GRID, folds: 5, initialTrainFraction: 0.5, seed: 3 });
const forestSpec = (interval: '1h' | '1d', features: readonly string[], trendThreshold: number): ModelSpec => ({
  kind: 'trend-classification',
  algorithm: 'random-forest',
  interval,
  horizonBars: 1,
  features,
  grid: DEFAULT_FOREST_GRID,
  folds: 5,
  initialTrainFraction: 0.5,
  seed: 3,
  trendThreshold,
});

const compareQuality = async (cases: Array<{ label: string; spec: ModelSpec; rows: FeatureRow[] }>): Promise<string[]> => {
  const trained = cases.map((c) => trainModel(c.spec, c.rows));
  const reference = await runPythonReference<ReferenceAnswer>('model_reference.py', { quality: cases.map((c, i) => qualityCase(c.spec, c.rows, trained[i]!)) });
  const out: string[] = [];
  cases.forEach((c, i) => {
    const ours = trained[i]!.report.metrics;
    const theirs = reference.quality[i]!;
    if (ours.kind === 'regression') {
      for (const name of ['hist', 'exact']) {
        const ratio = ours.mae / theirs[name]!['mae']!;
        console.log(`${c.label}: out-of-fold MAE ${ours.mae.toExponential(4)}, scikit-learn ${name} ${theirs[name]!['mae']!.toExponential(4)} (ratio ${ratio.toFixed(4)})`);
        if (Math.abs(ratio - 1) > 0.05) out.push(`${c.label}: MAE ${ours.mae} is not within 5% of scikit-learn ${name}'s ${theirs[name]!['mae']}`);
      }
    } else if (ours.kind === 'classification') {
      const theirAccuracy = theirs['forest']!['accuracy']!;
      console.log(`${c.label}: out-of-fold accuracy ${ours.accuracy.toFixed(4)}, scikit-learn ${theirAccuracy.toFixed(4)}`);
      if (Math.abs(ours.accuracy - theirAccuracy) > 0.03) out.push(`${c.label}: accuracy ${ours.accuracy} is not within 3 points of scikit-learn's ${theirAccuracy}`);
    }
  });
  return out;
};

describe.skipIf(pythonStack.skip)('the embedded model engine against scikit-learn', () => {
  it('computes the metrics of the same predictions exactly as sklearn.metrics does', async () => {
    const regressions = fc.sample(regressionArb, { numRuns: 60, seed: 42 });
    const classifications = fc.sample(classificationArb, { numRuns: 60, seed: 43 });
    const reference = await runPythonReference<ReferenceAnswer>('model_reference.py', {
      metrics: [...regressions.map((c) => ({ task: 'regression', ...c })), ...classifications.map((c) => ({ task: 'classification', ...c }))],
    });
    const ours = [...regressions.map((c) => regressionMetrics(c.y, c.predicted)), ...classifications.map((c) => classificationMetrics(c.y, c.predicted, 3))];
    const differences = ours.flatMap((m, i) =>
      Object.entries(reference.metrics[i]!)
        .filter(([k, v]) => !closeTo((m as unknown as Figures)[k]!, v, 1e-12))
        .map(([k, v]) => `case ${i} ${k}: tickvault ${(m as unknown as Figures)[k]}, reference ${v}`),
    );
    expect(differences).toEqual([]);
  });

  it('takes the same conformal quantile', async () => {
    const cases = fc.sample(residualsArb, { numRuns: 80, seed: 44 }).flatMap((residuals) => [0.8, 0.95].map((level) => ({ residuals, level })));
    const reference = await runPythonReference<ReferenceAnswer>('model_reference.py', { conformal: cases });
    expect(cases.map((c) => conformalHalfWidth(c.residuals, c.level))).toEqual(reference.conformal);
  });

  it('learns as well as scikit-learn on the same folds of generated hourly rows', async () => {
    const rows = syntheticRows(4_000, 17);
    expect(await compareQuality([
      { label: 'generated 1h GBT', spec: gbtSpec('1h', DEFAULT_FEATURES), rows },
      { label: 'generated 1h random forest', spec: forestSpec('1h', DEFAULT_FEATURES, 0.002), rows },
    ])).toEqual([]);
  }, 600_000);

  it.skipIf(data.skip)('learns as well as scikit-learn on the same folds of the shared daily data (Bitcoin)', async () => {
    data.assertAvailable();
    const rows = dailyFeatureRows(data.path(DAILY_OHLCV), 'Bitcoin');
    expect(await compareQuality([
      { label: 'Bitcoin 1d GBT', spec: gbtSpec('1d', DAILY_FEATURES), rows },
      { label: 'Bitcoin 1d random forest', spec: forestSpec('1d', DAILY_FEATURES, 0.01), rows },
    ])).toEqual([]);
  }, 600_000);
});
