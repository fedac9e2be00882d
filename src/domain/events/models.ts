/**
 * Models and their predictions as facts (docs/models.md): a training (ModelTrained, with the
 * serialised model itself, so any prediction can be recomputed from the ledger alone), who made
 * which version the champion (ModelAliasSet), every prediction served (PredictionMade), and its
 * score once its horizon has passed (PredictionScored): the track record no one can rewrite.
 */
import * as t from 'io-ts';
import { EventTime, MarketSymbolCodec, NonEmptyString, NonNegativeInt } from '../validation.js';

export const ModelKindCodec = t.keyof({ 'return-regression': null, 'trend-classification': null, anomaly: null });
export type ModelKindName = t.TypeOf<typeof ModelKindCodec>;

/** The bar intervals models are trained on. */
export const ModelIntervalCodec = t.keyof({ '1h': null, '1d': null });
export type ModelInterval = t.TypeOf<typeof ModelIntervalCodec>;

export const TrendLabelCodec = t.keyof({ down: null, sideways: null, up: null });
export type TrendLabel = t.TypeOf<typeof TrendLabelCodec>;

const Sha256Hex = new t.Type<string, string, unknown>(
  'a SHA-256 hash in 64 lower-case hex digits',
  (u): u is string => typeof u === 'string' && /^[0-9a-f]{64}$/.test(u),
  (u, c) => (typeof u === 'string' && /^[0-9a-f]{64}$/.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** Alias names are short lower-case words: `champion`, `challenger`, `shadow-2`. */
export const AliasName = new t.Type<string, string, unknown>(
  'an alias of lower-case letters, digits and dashes (at most 32), starting with a letter, like "champion"',
  (u): u is string => typeof u === 'string' && /^[a-z][a-z0-9-]{0,31}$/.test(u),
  (u, c) => (typeof u === 'string' && /^[a-z][a-z0-9-]{0,31}$/.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

const PositiveInt = new t.Type<number, number, unknown>(
  'a positive integer',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u > 0,
  (u, c) => (typeof u === 'number' && Number.isInteger(u) && u > 0 ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** Metric name → value; null where a metric is undefined on the rows (no rows, a zero denominator). */
const Metrics = t.record(t.string, t.union([t.number, t.null]));
const Figure = t.union([t.number, t.null]);

export const ModelTrainedData = t.type({
  /** The registered model: one symbol, kind, interval and horizon (`BTC-USDT.return.1h`); its versions are its trainings. */
  modelId: NonEmptyString,
  version: PositiveInt,
  symbol: MarketSymbolCodec,
  kind: ModelKindCodec,
  algorithm: NonEmptyString,
  /** The engine that trained it (`embedded`, `spark`). */
  engine: NonEmptyString,
  interval: ModelIntervalCodec,
  horizonBars: PositiveInt,
  /** The training specification as the engine took it: features (ordered), grid, folds, seed, thresholds. */
  spec: t.UnknownRecord,
  features: t.array(NonEmptyString),
  seed: t.number,
  /** The grid point the inner validation chose for the deployed model. */
  parameters: t.record(t.string, t.number),
  /** The bars asked for ([from, to), epoch ms) and the usable rows' first and last bar. */
  requestedRange: t.type({ from: t.number, to: t.number }),
  trainingRange: t.type({ from: t.number, to: t.number }),
  rows: t.type({ usable: NonNegativeInt, dropped: NonNegativeInt }),
  /** The ledger's newest signed checkpoint when the rows were read (null on an empty ledger). */
  ledgerCheckpoint: t.union([t.type({ size: NonNegativeInt, root: t.string }), t.null]),
  /** The feature store's definitions and the OHLCV batch view version the rows came from. */
  featureSource: t.type({ definitionVersion: NonNegativeInt, batchVersion: t.union([NonNegativeInt, t.null]) }),
  /** Held-out (walk-forward) metrics of the model and of the naive forecast on the same rows. */
  metrics: Metrics,
  naiveMetrics: Metrics,
  skill: Figure,
  beatsNaive: t.boolean,
  /** Split-conformal intervals: nominal level, half-width, measured coverage on the last fold. */
  intervals: t.array(t.type({ level: t.number, halfWidth: t.number, coverage: Figure })),
  importances: t.record(t.string, t.number),
  folds: t.array(t.type({ trainRows: NonNegativeInt, testRows: NonNegativeInt, testFrom: t.number, testTo: t.number, metrics: Metrics })),
  /** SHA-256 of the model's canonical JSON: the same rows, spec, seed and engine give the same hash. */
  modelHash: Sha256Hex,
  /** The serialised model (the shared tree JSON format): predictions are served and recomputed from it. */
  model: t.unknown,
  durationMs: t.number,
  codeVersion: NonEmptyString,
});
export type ModelTrainedData = t.TypeOf<typeof ModelTrainedData>;

export const ModelAliasSetData = t.type({
  modelId: NonEmptyString,
  alias: AliasName,
  /** The version the alias now names; null removes the alias. */
  version: t.union([PositiveInt, t.null]),
  reason: t.string,
});
export type ModelAliasSetData = t.TypeOf<typeof ModelAliasSetData>;

const RegressionOutput = t.type({
  kind: t.literal('return-regression'),
  /** Predicted log return over the horizon. */
  point: t.number,
  intervals: t.array(t.type({ level: t.number, lower: t.number, upper: t.number })),
});
const ClassificationOutput = t.type({
  kind: t.literal('trend-classification'),
  label: TrendLabelCodec,
  probabilities: t.type({ down: t.number, sideways: t.number, up: t.number }),
  /** The return bounds of `sideways` (±threshold). */
  threshold: t.number,
});
export const PredictionOutput = t.union([RegressionOutput, ClassificationOutput]);
export type PredictionOutput = t.TypeOf<typeof PredictionOutput>;

export const PredictionMadeData = t.type({
  predictionId: NonEmptyString,
  modelId: NonEmptyString,
  version: PositiveInt,
  /** The model's hash: the prediction names the exact trees it came from. */
  modelHash: Sha256Hex,
  symbol: MarketSymbolCodec,
  interval: ModelIntervalCodec,
  horizonBars: PositiveInt,
  /** When it was made (the clock at the request). */
  madeAt: EventTime,
  /** Start of the feature row's bar; the forecast runs from its end over `horizonBars` bars. */
  barTime: EventTime,
  /** The bar's close: the realised return is ln(close of bar barTime + horizon / baseClose). */
  baseClose: t.number,
  /** When the horizon has passed: the end of the target bar, after which it can be scored. */
  targetTime: EventTime,
  /** SHA-256 of the canonical JSON of the feature values used, in the model's feature order. */
  featuresHash: Sha256Hex,
  output: PredictionOutput,
  /**
   * The naive forecast, fixed when the prediction was made: zero return for regression, the
   * class of the last realised horizon return (persistence) for classification.
   */
  naive: t.union([t.type({ point: t.number }), t.type({ label: TrendLabelCodec })]),
});
export type PredictionMadeData = t.TypeOf<typeof PredictionMadeData>;

export const PredictionScoredData = t.type({
  predictionId: NonEmptyString,
  modelId: NonEmptyString,
  version: PositiveInt,
  symbol: MarketSymbolCodec,
  targetTime: EventTime,
  /** The target bar's close and the realised log return over the horizon. */
  realisedClose: t.number,
  realised: t.number,
  outcome: t.union([
    t.type({
      kind: t.literal('return-regression'),
      /** realised − point, and the naive forecast's (realised − 0). */
      error: t.number,
      naiveError: t.number,
      directionHit: t.boolean,
      /** Whether the realised return fell inside each interval. */
      covered: t.array(t.type({ level: t.number, inside: t.boolean })),
    }),
    t.type({
      kind: t.literal('trend-classification'),
      realisedLabel: TrendLabelCodec,
      correct: t.boolean,
      naiveCorrect: t.boolean,
    }),
  ]),
});
export type PredictionScoredData = t.TypeOf<typeof PredictionScoredData>;
