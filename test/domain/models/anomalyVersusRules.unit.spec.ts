/**
 * The anomaly model beside the rule detectors (flash move, volume spike) on seeded simulator tapes
 * with injected flash crashes and volume bursts: recall and false alarms of each, computed from the
 * simulator's ground truth (test/support/anomalyComparison.ts) and printed as the README's table.
 * The model is scored offline and live (the alert engine's anomaly-model detector on the same tape):
 * the two find the same injected events.
 */
import { describe, expect, it } from 'vitest';
import { anomalyModel, DEFAULT_ANOMALY_GRID } from '../../../src/domain/models/index.js';
import { MINUTE_MS } from '../../../src/domain/time.js';
import { anomalyTable, compareOnSimulator, type ComparisonRun } from '../../support/anomalyComparison.js';

const SEEDS = [13, 21];

describe('anomaly model against the rule detectors on the simulator', () => {
  it('finds every injected crash and most bursts, with few false alarms, as the rules do', async () => {
    const model = anomalyModel(DEFAULT_ANOMALY_GRID, MINUTE_MS);
    const runs: ComparisonRun[] = [];
    for (const seed of SEEDS) runs.push(await compareOnSimulator(seed, model));
    console.log(anomalyTable(runs));
    const crashes = runs.reduce((a, r) => a + r.crashes, 0);
    const bursts = runs.reduce((a, r) => a + r.bursts, 0);
    const of = (detector: string) => runs.map((r) => r.records.find((d) => d.detector === detector)!);
    const sum = (records: ReturnType<typeof of>, k: 'crashesDetected' | 'burstsDetected' | 'falseAlarms') => records.reduce((a, d) => a + d[k], 0);
    const modelRecords = of('robust-z (model, offline)');
    const live = of('robust-z (model, live alerts)');
    expect(crashes).toBeGreaterThanOrEqual(4);
    expect(bursts).toBeGreaterThanOrEqual(4);
    expect(sum(modelRecords, 'crashesDetected')).toBe(crashes);
    expect(sum(modelRecords, 'burstsDetected') / bursts).toBeGreaterThanOrEqual(0.8);
    // At most about one false alarm per simulated hour on six symbols (360 scored bars).
    const hours = runs.reduce((a, r) => a + r.hours, 0);
    expect(sum(modelRecords, 'falseAlarms')).toBeLessThanOrEqual(Math.ceil(hours));
    // Live alerts find what the offline scorer finds (the property test holds their episodes equal on any market).
    expect(sum(live, 'crashesDetected')).toBe(sum(modelRecords, 'crashesDetected'));
    expect(sum(live, 'burstsDetected')).toBe(sum(modelRecords, 'burstsDetected'));
    expect(sum(live, 'falseAlarms')).toBe(sum(modelRecords, 'falseAlarms'));
    // The rules the model is compared with are measured on the same tapes, not assumed.
    expect(sum(of('flash-move (rule)'), 'crashesDetected')).toBeGreaterThan(0);
  }, 300_000);
});
