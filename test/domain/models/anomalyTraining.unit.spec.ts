/**
 * The anomaly kind through trainModel and predictWithModel: deterministic, serving from history what
 * the batch scores say, and refusing what it cannot do (a grid to tune without labels) with a reason;
 * and the spec checks every kind shares.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ANOMALY_GRID, predictWithModel, scoreBars, trainModel, type ModelSpec, type RobustZJson } from '../../../src/domain/models/index.js';
import { syntheticRows } from '../../support/modelRows.js';

const spec: ModelSpec = { kind: 'anomaly', algorithm: 'robust-z', interval: '1h', horizonBars: 1, features: ['logReturn1', 'volume', 'flowImbalance'], grid: DEFAULT_ANOMALY_GRID, folds: 2, initialTrainFraction: 0.5, seed: 1 };
const rows = syntheticRows(600, 4);

describe('anomaly model training and serving', () => {
  const trained = trainModel(spec, rows);

  it('is deterministic and reports its alarm rate, with no skill to claim', () => {
    expect(trainModel(spec, rows).modelHash).toBe(trained.modelHash);
    const m = trained.report.metrics;
    if (m.kind !== 'anomaly') throw new Error('expected anomaly metrics');
    expect(m.flaggedRows).toBe(scoreBars(trained.model as RobustZJson, rows).filter((s) => s.anomalous).length);
    expect(m.flaggedShare).toBeLessThan(0.05);
    expect(trained.report.skill).toBeNull();
    expect(trained.report.beatsNaive).toBe(false);
  });

  it('scores a bar from its history as the batch scores do', () => {
    const all = scoreBars(trained.model as RobustZJson, rows);
    for (const i of [5, 100, 599]) {
      const p = predictWithModel(trained, rows[i]!, rows.slice(0, i));
      expect(p).toEqual({ kind: 'anomaly', ...all[i]! });
    }
  });

  it('refuses a grid to tune, and specs that do not fit, saying what to change', () => {
    expect(() => trainModel({ ...spec, grid: { threshold: [4, 6] } }, rows)).toThrow(/give one value for threshold/);
    expect(() => trainModel({ ...spec, algorithm: 'gbt' }, rows)).toThrow(/does not fit kind anomaly: use robust-z/);
    expect(() => trainModel({ ...spec, kind: 'return-regression', algorithm: 'gbt', features: ['nope'] }, rows)).toThrow(/unknown feature\(s\) nope/);
    expect(() => trainModel({ ...spec, folds: 1 }, rows)).toThrow(/folds must be an integer ≥ 2/);
  });
});
