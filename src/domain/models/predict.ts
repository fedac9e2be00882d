/**
 * A forecast from a serialised model for one feature row — whichever engine trained the model,
 * since both write the same tree JSON. A row missing a feature the model needs is refused, naming it.
 */
import { InvalidInputError } from '../errors.js';
import type { FeatureRow } from '../features/featureRow.js';
import { featureVector } from './dataset.js';
import { scoreLatest, type AnomalyBar, type AnomalyScore } from './anomaly/robustZ.js';
import type { ModelJson } from './modelJson.js';
import type { TrainedModel } from './report.js';
import type { ModelSpec } from './spec.js';
import { TREND_CLASSES, type TrendClass } from './trend.js';
import { argmax, forestProbabilities, predictGbt } from './treeJson.js';

export interface RegressionPrediction {
  readonly kind: 'regression';
  /** Forecast log return over the horizon. */
  readonly point: number;
  readonly intervals: ReadonlyArray<{ readonly level: number; readonly lower: number; readonly upper: number }>;
}

export interface ClassificationPrediction {
  readonly kind: 'classification';
  readonly label: TrendClass;
  /** Per class, in TREND_CLASSES order. */
  readonly probabilities: readonly number[];
}

export interface AnomalyPrediction extends AnomalyScore {
  readonly kind: 'anomaly';
}

export type Prediction = RegressionPrediction | ClassificationPrediction | AnomalyPrediction;

/** What serving needs: the spec's features, the model, and (regression) the interval half-widths. */
export interface ServableModel {
  readonly spec: Pick<ModelSpec, 'features'>;
  readonly model: ModelJson;
  readonly intervals?: ReadonlyArray<{ readonly level: number; readonly halfWidth: number }>;
}

export const servable = (trained: TrainedModel): ServableModel => ({
  spec: trained.report.spec,
  model: trained.model,
  ...(trained.report.intervals === undefined ? {} : { intervals: trained.report.intervals }),
});

/**
 * The model's answer for `row`. An anomaly model scores the row against the bars before it:
 * `history` (time-ordered, ending just before the row; the model's `window` of them is enough).
 */
export const predictWithModel = (served: ServableModel | TrainedModel, row: FeatureRow, history: readonly AnomalyBar[] = []): Prediction => {
  const m = 'report' in served ? servable(served) : served;
  if (m.model.type === 'robust-z') return { kind: 'anomaly', ...scoreLatest(m.model, [...history, row]) };
  const x = featureVector(row, m.spec.features);
  if (x === null) {
    const missing = m.spec.features.filter((f) => !Number.isFinite((row as unknown as Record<string, unknown>)[f]));
    throw new InvalidInputError(`the bar at ${new Date(row.time).toISOString()} has no value for ${missing.join(', ')}, which the model needs; predict from a bar with a full history`);
  }
  if (m.model.type === 'gbt') {
    const point = predictGbt(m.model, x);
    return { kind: 'regression', point, intervals: (m.intervals ?? []).map((i) => ({ level: i.level, lower: point - i.halfWidth, upper: point + i.halfWidth })) };
  }
  const probabilities = forestProbabilities(m.model, x);
  return { kind: 'classification', label: TREND_CLASSES[argmax(probabilities)]!, probabilities };
};
