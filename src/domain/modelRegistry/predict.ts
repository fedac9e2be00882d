/**
 * A prediction from a registered model version and the feature row of the latest complete bar:
 * what PredictionMade records. Served from the serialised model kept in ModelTrained (never by
 * training), with the naive forecast fixed beside it: zero return for regression, for trend
 * classification the class of the last realised horizon return (persistence).
 */
import { canonicalJson } from '../events/canonical.js';
import { InvalidInputError } from '../errors.js';
import type { ModelTrainedData, PredictionMadeData } from '../events/models.js';
import type { FeatureRow } from '../features/featureRow.js';
import { defaultTrendThreshold, predictWithModel, TREND_CLASSES, type ModelJson } from '../models/index.js';
import { featureValue } from '../models/spec.js';
import { sha256Hex } from '../sha256.js';
import { INTERVAL_MS } from '../time.js';
import { trendLabelOf } from './scoring.js';

export interface PredictionInput {
  readonly predictionId: string;
  readonly madeAt: number;
  readonly model: ModelTrainedData;
  readonly row: FeatureRow;
  /** The close `horizonBars` bars before the row's (the persistence forecast's base); null when that bar is missing. */
  readonly pastClose: number | null;
}

const thresholdOf = (m: ModelTrainedData): number => {
  const given = m.spec['trendThreshold'];
  return typeof given === 'number' ? given : defaultTrendThreshold(m.horizonBars);
};

/** SHA-256 of the canonical JSON of the feature values the model read, in its feature order. */
export const featuresHashOf = (row: FeatureRow, features: readonly string[]): string => sha256Hex(canonicalJson(features.map((f) => featureValue(row, f))));

export const predictionOf = (input: PredictionInput): PredictionMadeData => {
  const { model: m, row } = input;
  if (m.kind === 'anomaly') throw new InvalidInputError(`model ${m.modelId} is an anomaly model: it scores bars for the alert engine and forecasts no horizon`);
  const size = INTERVAL_MS[m.interval];
  const served = predictWithModel(
    { spec: { features: m.features }, model: m.model as ModelJson, intervals: m.intervals.map((i) => ({ level: i.level, halfWidth: i.halfWidth })) },
    row,
  );
  const base = {
    predictionId: input.predictionId,
    modelId: m.modelId,
    version: m.version,
    modelHash: m.modelHash,
    symbol: m.symbol,
    interval: m.interval,
    horizonBars: m.horizonBars,
    madeAt: input.madeAt,
    barTime: row.time,
    baseClose: row.close,
    // The target bar starts horizonBars after the row's bar; its close is known when it ends.
    targetTime: row.time + (m.horizonBars + 1) * size,
    featuresHash: featuresHashOf(row, m.features),
  };
  if (served.kind === 'regression') {
    return { ...base, output: { kind: 'return-regression', point: served.point, intervals: served.intervals.map((i) => ({ ...i })) }, naive: { point: 0 } };
  }
  if (served.kind !== 'classification') throw new InvalidInputError(`model ${m.modelId} answered a ${served.kind} score, not a forecast`);
  if (input.pastClose === null || !(input.pastClose > 0)) {
    throw new InvalidInputError(`${m.symbol} has no bar ${m.horizonBars} ${m.interval} bars before ${new Date(row.time).toISOString()}: the persistence forecast beside a trend prediction needs it`);
  }
  const threshold = thresholdOf(m);
  const [down, sideways, up] = TREND_CLASSES.map((_, i) => served.probabilities[i] ?? 0) as [number, number, number];
  return {
    ...base,
    output: { kind: 'trend-classification', label: served.label, probabilities: { down, sideways, up }, threshold },
    naive: { label: trendLabelOf(Math.log(row.close / input.pastClose), threshold) },
  };
};
