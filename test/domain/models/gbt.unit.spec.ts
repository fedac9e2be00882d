/**
 * The embedded GBT regression path end to end: same rows, spec and seed give the same model hash;
 * another seed or other rows give another model; the forecast the predictor serves from the JSON is
 * the one validation measured; a learnable signal beats the zero-return forecast.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/domain/events/canonical.js';
import { DEFAULT_FEATURES, DEFAULT_GBT_GRID, predictWithModel, trainModel, type ModelSpec } from '../../../src/domain/models/index.js';
import { sha256Hex } from '../../../src/domain/sha256.js';
import { syntheticRows } from '../../support/modelRows.js';

const spec: ModelSpec = {
  kind: 'return-regression',
  algorithm: 'gbt',
  interval: '1h',
  horizonBars: 1,
  features: DEFAULT_FEATURES,
  grid: { ...DEFAULT_GBT_GRID, maxIter: [10, 20] },
  folds: 3,
  initialTrainFraction: 0.5,
  seed: 7,
};

const rows = syntheticRows(1_500, 11);

describe('GBT return regression', () => {
  const trained = trainModel(spec, rows);

  it('gives the same model hash for the same rows, spec and seed, and the hash is of the canonical model JSON', () => {
    const again = trainModel(spec, rows);
    expect(again.modelHash).toBe(trained.modelHash);
    expect(trained.modelHash).toBe(sha256Hex(canonicalJson(trained.model)));
    expect(canonicalJson(again.report)).toBe(canonicalJson(trained.report));
  });

  it('gives another model for other rows', () => {
    expect(trainModel(spec, syntheticRows(1_500, 12)).modelHash).not.toBe(trained.modelHash);
  });

  it('beats the zero-return forecast on returns with structure, and reports it beside it', () => {
    const r = trained.report;
    expect(r.naiveForecast).toBe('zero-return');
    expect(r.metrics.kind).toBe('regression');
    expect(r.skill).toBeGreaterThan(0);
    expect(r.beatsNaive).toBe(true);
    expect(r.folds).toHaveLength(3);
    expect(r.folds.reduce((a, f) => a + f.testRows, 0)).toBe(r.metrics.rows);
  });

  it('serves from the JSON the same forecast, with intervals around it', () => {
    const row = rows[rows.length - 1]!;
    const p = predictWithModel(trained, row);
    const fromJson = predictWithModel(JSON.parse(JSON.stringify({ spec, model: trained.model, intervals: trained.report.intervals })), row);
    expect(fromJson).toEqual(p);
    if (p.kind !== 'regression') throw new Error('expected a regression forecast');
    expect(p.intervals.map((i) => i.level)).toEqual([0.8, 0.95]);
    expect(p.intervals[1]!.upper - p.intervals[1]!.lower).toBeGreaterThan(p.intervals[0]!.upper - p.intervals[0]!.lower);
  });

  it('has importances that sum to one over the spec features', () => {
    const values = Object.values(trained.report.importances);
    expect(Object.keys(trained.report.importances)).toEqual([...DEFAULT_FEATURES]);
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('reports progress up to its total', () => {
    const seen: Array<[number, number]> = [];
    trainModel(spec, rows, (done, total) => seen.push([done, total]));
    // 3 folds + the deployed model, each 4 tuning fits (2 depths × 2 iteration counts) and a refit.
    expect(seen.at(-1)).toEqual([20, 20]);
    expect(seen.map(([d]) => d)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('refuses a row without a feature it needs, naming it', () => {
    expect(() => predictWithModel(trained, rows[0]!)).toThrow(/has no value for .*logReturn/);
  });
});
