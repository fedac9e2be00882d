/** A ModelTrained event's data for tests: a small model trained by the embedded engine on seeded rows. */
import type { ModelTrainedData } from '../../src/domain/events/models.js';
import type { FeatureRow } from '../../src/domain/features/featureRow.js';
import { DEFAULT_FEATURES, trainModel, type ModelSpec } from '../../src/domain/models/index.js';
import { syntheticRows } from './modelRows.js';

const SMALL_GRIDS = {
  'return-regression': { maxDepth: [2], maxIter: [5], stepSize: [0.1], maxBins: [16], subsamplingRate: [1], minInstancesPerNode: [1] },
  'trend-classification': { numTrees: [5], maxDepth: [3], maxBins: [16], minInstancesPerNode: [1] },
} as const;

export const trainedFixture = (kind: 'return-regression' | 'trend-classification', version = 1, rows: readonly FeatureRow[] = syntheticRows(400, 3)): ModelTrainedData => {
  const spec: ModelSpec = {
    kind,
    algorithm: kind === 'return-regression' ? 'gbt' : 'random-forest',
    interval: '1h',
    horizonBars: 1,
    features: DEFAULT_FEATURES,
    grid: SMALL_GRIDS[kind],
    folds: 3,
    initialTrainFraction: 0.5,
    seed: 1,
  };
  const t = trainModel(spec, rows);
  const r = t.report;
  const numbers = (m: object): Record<string, number | null> => Object.fromEntries(Object.entries(m).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
  return {
    modelId: `BTC-USDT.${kind === 'return-regression' ? 'return' : 'trend'}.1h`,
    version,
    symbol: 'BTC-USDT',
    kind,
    algorithm: spec.algorithm,
    engine: 'embedded',
    interval: '1h',
    horizonBars: 1,
    spec: { ...spec },
    features: [...spec.features],
    seed: 1,
    parameters: r.chosenParams,
    requestedRange: { from: rows[0]!.time, to: rows[rows.length - 1]!.time + 3_600_000 },
    trainingRange: r.trainingRange,
    rows: { usable: r.usableRows, dropped: r.droppedRows },
    ledgerCheckpoint: null,
    featureSource: { definitionVersion: 1, batchVersion: null },
    metrics: numbers(r.metrics),
    naiveMetrics: numbers(r.naiveMetrics),
    skill: r.skill,
    beatsNaive: r.beatsNaive,
    intervals: (r.intervals ?? []).map((i) => ({ level: i.level, halfWidth: i.halfWidth, coverage: i.coverage })),
    importances: r.importances,
    folds: [],
    modelHash: t.modelHash,
    model: t.model,
    durationMs: 1,
    codeVersion: 'test',
  };
};
