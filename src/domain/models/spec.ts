/**
 * What a model is asked to learn: the kind, the algorithm, the horizon, the features, the grid the
 * walk-forward validation tunes over, and the seed. Shared by the embedded engine and the Spark twin
 * (docs/models.md); `validateModelSpec` turns a bad spec into a clear error before any work is done.
 */
import { InvalidInputError } from '../errors.js';
import { FEATURE_COLUMNS, type FeatureRow } from '../features/featureRow.js';

export const MODEL_KINDS = ['return-regression', 'trend-classification', 'anomaly'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export const MODEL_INTERVALS = ['1h', '1d'] as const;
export type ModelInterval = (typeof MODEL_INTERVALS)[number];

/** A feature a model may use: any numeric column of the feature store but the bar's start. */
export type ModelFeature = Exclude<(typeof FEATURE_COLUMNS)[number], 'time'>;

export interface ModelSpec {
  readonly kind: ModelKind;
  /** 'gbt' (return regression), 'random-forest' (trend classification), 'robust-z' (anomaly). */
  readonly algorithm: string;
  readonly interval: ModelInterval;
  readonly horizonBars: number;
  /** In order: the model's feature vector is this list's values. */
  readonly features: readonly string[];
  /** Hyperparameter → the values tried; one value fixes it. */
  readonly grid: Readonly<Record<string, readonly number[]>>;
  readonly folds: number;
  readonly initialTrainFraction: number;
  readonly seed: number;
  /** |y| at or below it is sideways (trend classification only). */
  readonly trendThreshold?: number;
}

export const DEFAULT_FEATURES: readonly ModelFeature[] = [
  'logReturn1',
  'logReturn3',
  'logReturn6',
  'logReturn12',
  'logReturn24',
  'logReturn1Lag1',
  'logReturn1Lag2',
  'logReturn1Lag3',
  'realisedVol24',
  'rsi14',
  'macd',
  'macdSignal',
  'macdHist',
  'bollingerPctB',
  'volumeZ20',
  'flowImbalance',
  'marketLogReturn1',
];

export const DEFAULT_GBT_GRID = { maxDepth: [2, 4], maxIter: [20, 50], stepSize: [0.1], maxBins: [32], subsamplingRate: [1], minInstancesPerNode: [20] };
export const DEFAULT_FOREST_GRID = { numTrees: [20, 50], maxDepth: [4, 8], maxBins: [32], minInstancesPerNode: [1] };

/** The default trend threshold: 0.2% for one bar, 1% for 24 (and more). */
export const defaultTrendThreshold = (horizonBars: number): number => (horizonBars === 1 ? 0.002 : 0.01);

const ALGORITHMS: Record<ModelKind, readonly string[]> = {
  'return-regression': ['gbt'],
  'trend-classification': ['random-forest'],
  anomaly: ['robust-z'],
};

const NUMERIC_COLUMNS = new Set<string>(FEATURE_COLUMNS.filter((c) => c !== 'time'));

export const isModelFeature = (name: string): name is ModelFeature => NUMERIC_COLUMNS.has(name);

/** The spec, checked: throws InvalidInputError naming what is wrong and what is accepted. */
export const validateModelSpec = (spec: ModelSpec): ModelSpec => {
  const fail = (why: string): never => {
    throw new InvalidInputError(`model spec: ${why}`);
  };
  if (!MODEL_KINDS.includes(spec.kind)) fail(`kind "${spec.kind}" is not one of ${MODEL_KINDS.join(', ')}`);
  if (!ALGORITHMS[spec.kind].includes(spec.algorithm)) fail(`algorithm "${spec.algorithm}" does not fit kind ${spec.kind}: use ${ALGORITHMS[spec.kind].join(' or ')}`);
  if (!MODEL_INTERVALS.includes(spec.interval)) fail(`interval "${spec.interval}" is not one of ${MODEL_INTERVALS.join(', ')}`);
  if (!Number.isInteger(spec.horizonBars) || spec.horizonBars < 1) fail(`horizonBars must be a positive integer, got ${spec.horizonBars}`);
  if (spec.features.length === 0) fail('features is empty: name at least one feature column');
  const unknown = spec.features.filter((f) => !isModelFeature(f));
  if (unknown.length > 0) fail(`unknown feature(s) ${unknown.join(', ')}; known: ${[...NUMERIC_COLUMNS].join(', ')}`);
  if (new Set(spec.features).size !== spec.features.length) fail('features lists a column twice');
  if (!Number.isInteger(spec.folds) || spec.folds < 2) fail(`folds must be an integer ≥ 2 (the conformal calibration needs folds before the last), got ${spec.folds}`);
  if (!(spec.initialTrainFraction > 0 && spec.initialTrainFraction < 1)) fail(`initialTrainFraction must be in (0, 1), got ${spec.initialTrainFraction}`);
  if (!Number.isFinite(spec.seed)) fail(`seed must be a finite number, got ${spec.seed}`);
  for (const [name, values] of Object.entries(spec.grid)) {
    if (values.length === 0 || values.some((v) => !Number.isFinite(v))) fail(`grid.${name} must list at least one finite number`);
  }
  if (spec.trendThreshold !== undefined && !(spec.trendThreshold >= 0)) fail(`trendThreshold must be ≥ 0, got ${spec.trendThreshold}`);
  return spec;
};

/** The value of one feature of a row (null when the store has none). */
export const featureValue = (row: FeatureRow, feature: string): number | null => (row as unknown as Record<string, number | null>)[feature] ?? null;
