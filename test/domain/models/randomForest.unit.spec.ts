/**
 * The embedded random-forest trend classifier: the bootstrap and the feature draws come from the
 * seed alone (same seed, same hash; another seed, another forest), it beats the better of the
 * majority and persistence forecasts on returns with structure, and serves probabilities.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/domain/events/canonical.js';
import { DEFAULT_FEATURES, predictWithModel, trainModel, type ModelSpec } from '../../../src/domain/models/index.js';
import { syntheticRows } from '../../support/modelRows.js';

const spec: ModelSpec = {
  kind: 'trend-classification',
  algorithm: 'random-forest',
  interval: '1h',
  horizonBars: 1,
  features: DEFAULT_FEATURES,
  grid: { numTrees: [10], maxDepth: [3, 5] },
  folds: 3,
  initialTrainFraction: 0.5,
  seed: 5,
};
const rows = syntheticRows(1_500, 21);

describe('random-forest trend classification', () => {
  const trained = trainModel(spec, rows);

  it('is a function of rows, spec and seed', () => {
    const again = trainModel(spec, rows);
    expect(again.modelHash).toBe(trained.modelHash);
    expect(canonicalJson(again.report)).toBe(canonicalJson(trained.report));
    expect(trainModel({ ...spec, seed: 6 }, rows).modelHash).not.toBe(trained.modelHash);
  });

  it('reports accuracy and macro-F1 beside both naive forecasts, and beats the better one', () => {
    const r = trained.report;
    expect(r.naiveComparisons.map((c) => c.name)).toEqual(['majority', 'persistence']);
    const best = Math.max(...r.naiveComparisons.map((c) => (c.metrics.kind === 'classification' ? c.metrics.accuracy : 0)));
    expect(r.naiveMetrics.kind === 'classification' && r.naiveMetrics.accuracy).toBe(best);
    expect(r.metrics.kind === 'classification' && r.metrics.accuracy).toBeGreaterThan(best);
    expect(r.beatsNaive).toBe(true);
    expect(r.intervals).toBeUndefined();
    expect(r.spec.trendThreshold).toBe(0.002);
  });

  it('serves a label with class probabilities that sum to one', () => {
    const p = predictWithModel(trained, rows[rows.length - 1]!);
    if (p.kind !== 'classification') throw new Error('expected a classification');
    expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(['down', 'sideways', 'up']).toContain(p.label);
    expect(p.probabilities[['down', 'sideways', 'up'].indexOf(p.label)]).toBe(Math.max(...p.probabilities));
  });
});
