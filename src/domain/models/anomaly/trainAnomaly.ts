/**
 * "Training" the robust-z anomaly model on a symbol's feature rows: there are no labels to tune on,
 * so the grid gives one window and one threshold; what training records is the model and how often
 * it flags bars of the training range (its alarm rate), each bar scored from its past only.
 */
import { canonicalJson } from '../../events/canonical.js';
import { InvalidInputError } from '../../errors.js';
import type { FeatureRow } from '../../features/featureRow.js';
import { sha256Hex } from '../../sha256.js';
import { checkTimeOrder, intervalMs } from '../dataset.js';
import { param } from '../hyperparameters.js';
import type { TrainedModel } from '../report.js';
import type { ModelSpec } from '../spec.js';
import { ANOMALY_COMPONENTS, scoreBars, type RobustZJson } from './robustZ.js';

/** Defaults measured on the simulator's injected episodes (docs/models.md, "Anomaly model"). */
export const DEFAULT_ANOMALY_GRID = { window: [30], threshold: [6], minHistory: [10] };

export const anomalyModel = (grid: ModelSpec['grid'], interval: number): RobustZJson => {
  const several = Object.entries(grid).filter(([, values]) => values.length !== 1);
  if (several.length > 0) throw new InvalidInputError(`anomaly model: give one value for ${several.map(([k]) => k).join(', ')} (there are no labels to tune a grid on)`);
  const point = Object.fromEntries(Object.entries(grid).map(([k, v]) => [k, v[0]!]));
  const window = param(point, 'window', DEFAULT_ANOMALY_GRID.window[0]!, { min: 2, max: 10_000, integer: true });
  return {
    type: 'robust-z',
    window,
    minHistory: param(point, 'minHistory', Math.min(window, DEFAULT_ANOMALY_GRID.minHistory[0]!), { min: 1, max: window, integer: true }),
    threshold: param(point, 'threshold', DEFAULT_ANOMALY_GRID.threshold[0]!, { min: Number.MIN_VALUE, max: 1e6 }),
    intervalMs: interval,
    components: ANOMALY_COMPONENTS,
  };
};

export const trainAnomaly = (spec: ModelSpec, rows: readonly FeatureRow[]): TrainedModel => {
  checkTimeOrder(rows);
  if (rows.length === 0) throw new InvalidInputError('anomaly model: no feature rows in the range; train on a range with bars');
  const model = anomalyModel(spec.grid, intervalMs(spec));
  const scores = scoreBars(model, rows);
  const scored = scores.filter((s) => s.score !== null);
  const flagged = scored.filter((s) => s.anomalous).length;
  return {
    report: {
      spec,
      chosenParams: { window: model.window, threshold: model.threshold, minHistory: model.minHistory },
      usableRows: scored.length,
      droppedRows: rows.length - scored.length,
      rowsWithoutTarget: 0,
      trainingRange: { from: rows[0]!.time, to: rows[rows.length - 1]!.time },
      metrics: { kind: 'anomaly', rows: scored.length, flaggedRows: flagged, flaggedShare: scored.length === 0 ? 0 : flagged / scored.length },
      naiveMetrics: { kind: 'anomaly', rows: scored.length, flaggedRows: 0, flaggedShare: 0 },
      naiveForecast: 'no-alarm',
      naiveComparisons: [],
      skill: null,
      beatsNaive: false,
      importances: {},
      folds: [],
    },
    model,
    modelHash: sha256Hex(canonicalJson(model)),
  };
};
