/**
 * Answers of the model and prediction routes (app/models.ts, read-models/models.ts; docs/models.md
 * defines every field). Versions, predictions and track-record periods are described by their
 * fields' meaning rather than field by field: their figures follow the model's kind.
 */
import { arrayOf, epochMs, integer, nullable, number, object, position, string, symbol } from './common.js';

/** What a training and a prediction both name: the symbol, the horizon, and optionally the kind of model. */
export const modelTargetProperties = {
  symbol: { type: 'string', maxLength: 41 },
  horizon: { type: 'string', maxLength: 8 },
  kind: { type: 'string', enum: ['return-regression', 'trend-classification'] },
} as const;

const described = (description: string) => ({ type: 'object', description }) as const;

export const modelsList = object({
  models: arrayOf(object({ modelId: string, symbol, versions: integer, latest: described('the newest version: version, metrics beside the naive forecast, skill, model hash, aliases') }, ['modelId', 'symbol', 'versions'])),
});

export const modelDetail = object(
  {
    modelId: string,
    symbol,
    aliasHistory: arrayOf(described('an alias set: alias, version (null: removed), actor, reason, when and at which position')),
    versions: arrayOf(described('a version as ModelTrained recorded it: parameters, features, seed, spec, ranges, checkpoint, metrics, intervals, importances, hash; the trees with ?model=true')),
  },
  ['modelId', 'symbol', 'versions'],
);

export const trackRecord = object({
  modelId: string,
  version: nullable(integer),
  predictions: integer,
  scored: integer,
  overall: nullable(described('error, naive error, skill, hit rate (and interval coverage for returns) over every scored prediction')),
  periods: arrayOf(described('the same figures per UTC day of the target')),
  definitions: string,
});

export const trainingAccepted = object({ trainingId: string, modelId: string, status: { type: 'string', const: 'pending' } });

export const trainingStatus = object({
  trainingId: string,
  modelId: nullable(string),
  status: { type: 'string', enum: ['pending', 'running', 'completed', 'failed'] },
  progress: nullable({ type: 'number', minimum: 0, maximum: 1 }),
  version: nullable(integer),
  position: nullable(position),
  error: nullable(string),
});

export const aliasSet = object({ changed: { type: 'boolean' }, position });

const prediction = described('PredictionMade: model, version and hash, symbol, horizon, bar, base close, output (point and intervals, or label and probabilities), the naive forecast, features hash, position; score: PredictionScored once the horizon has passed, else null');

export const predictionsList = object(
  { symbol: nullable(symbol), model: nullable(string), from: string, to: string, predictions: arrayOf(prediction), truncated: { type: 'boolean' }, scored: integer },
  ['from', 'to', 'predictions', 'truncated', 'scored'],
);

export const predictionAnswer = prediction;

export const predictionMade = object(
  {
    predictionId: string,
    modelId: string,
    version: integer,
    modelHash: string,
    symbol,
    interval: string,
    horizonBars: integer,
    madeAt: epochMs,
    barTime: epochMs,
    baseClose: number,
    targetTime: epochMs,
    featuresHash: string,
    output: described('regression: kind, point, intervals [{level, lower, upper}]; classification: kind, label, probabilities {down, sideways, up}, threshold'),
    naive: described('the naive forecast on the same bar: point (0) or label (persistence)'),
    recorded: { type: 'boolean' },
    position,
  },
  ['predictionId', 'modelId', 'version', 'symbol', 'output', 'position'],
);
