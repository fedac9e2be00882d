/**
 * A training request as the API and the CLI take it, validated into what an engine trains:
 * `{"symbol", "horizon", "kind"?, "interval"?, "from"?, "to"?, "seed"?, "features"?, "grid"?,
 * "folds"?, "initialTrainFraction"?, "trendThreshold"?, "engine"?, "alias"?}`. The range defaults
 * to the `days` before the last complete day; the kind to return regression (GBT), trend
 * classification trains a random forest.
 */
import * as t from 'io-ts';
import { InvalidInputError } from '../errors.js';
import { requireInstant } from '../instant.js';
import { DEFAULT_FEATURES, DEFAULT_FOREST_GRID, DEFAULT_GBT_GRID, validateModelSpec, type ModelSpec } from '../models/index.js';
import { bucketStart, DAY_MS, INTERVAL_MS } from '../time.js';
import { MarketSymbolCodec, NonEmptyString, validate } from '../validation.js';
import { AliasName, ModelIntervalCodec, ModelKindCodec } from '../events/models.js';
import { modelIdOf, parseHorizon, type ModelTarget } from './modelIdentity.js';

const Instant = t.union([t.string, t.number]);

const TrainingRequestCodec = t.intersection([
  t.type({ symbol: MarketSymbolCodec, horizon: NonEmptyString }),
  t.partial({
    kind: ModelKindCodec,
    interval: ModelIntervalCodec,
    from: Instant,
    to: Instant,
    seed: t.number,
    features: t.array(NonEmptyString),
    grid: t.record(t.string, t.array(t.number)),
    folds: t.number,
    initialTrainFraction: t.number,
    trendThreshold: t.number,
    engine: NonEmptyString,
    alias: AliasName,
  }),
]);

export interface TrainingRequest {
  readonly modelId: string;
  readonly target: ModelTarget;
  readonly spec: ModelSpec;
  /** Bars starting in [from, to). */
  readonly from: number;
  readonly to: number;
  /** The engine asked for; the platform's default when absent. */
  readonly engine: string | undefined;
  /** An alias to point at the new version once it is recorded (never `champion`: promotion is its own command). */
  readonly alias: string | undefined;
  /** False when the request named no features: the default list, less those the rows never have (usableFeatures). */
  readonly featuresGiven: boolean;
}

/**
 * The default features a training uses on its rows: those with a value on at least one row. Order
 * flow needs the trades' taker sides, which exchange klines alone do not carry: a symbol known
 * only from klines trains without it rather than on no row at all.
 */
export const usableFeatures = (features: readonly string[], rows: readonly Record<string, unknown>[]): string[] =>
  features.filter((f) => rows.some((r) => typeof r[f] === 'number' && Number.isFinite(r[f])));

/** Seed of a request that names none: a fixed one, so a repeat trains the same model. */
export const DEFAULT_SEED = 42;
export const DEFAULT_FOLDS = 5;
export const DEFAULT_INITIAL_TRAIN_FRACTION = 0.5;
/** Days of bars a request without `from` trains on. */
export const DEFAULT_TRAINING_DAYS = 365;

const ALGORITHM = { 'return-regression': 'gbt', 'trend-classification': 'random-forest', anomaly: 'robust-z' } as const;


/** `now` sets the default range: the `days` UTC days before today. */
export const readTrainingRequest = (input: unknown, now: number, days = DEFAULT_TRAINING_DAYS): TrainingRequest => {
  const v = validate(TrainingRequestCodec, input, 'training');
  if (!v.ok) throw new InvalidInputError(v.reason);
  const r = v.value;
  if (r.alias === 'champion') throw new InvalidInputError('alias: a training cannot make its model the champion; promote it afterwards (POST /api/v1/models/aliases or tickvault models promote)');
  const { interval, horizonBars } = parseHorizon(r.horizon, r.interval);
  const kind = r.kind ?? 'return-regression';
  const to = r.to === undefined ? bucketStart(now, '1d') : bucketStart(requireInstant(r.to, 'to'), interval);
  const from = r.from === undefined ? to - days * DAY_MS : bucketStart(requireInstant(r.from, 'from'), interval);
  if (to <= from) throw new InvalidInputError(`to (${new Date(to).toISOString()}) must be after from (${new Date(from).toISOString()})`);
  const bars = (to - from) / INTERVAL_MS[interval];
  const grid = r.grid ?? (kind === 'trend-classification' ? DEFAULT_FOREST_GRID : kind === 'return-regression' ? DEFAULT_GBT_GRID : {});
  const spec = validateModelSpec({
    kind,
    algorithm: ALGORITHM[kind],
    interval,
    horizonBars,
    features: r.features ?? DEFAULT_FEATURES,
    grid,
    folds: r.folds ?? DEFAULT_FOLDS,
    initialTrainFraction: r.initialTrainFraction ?? DEFAULT_INITIAL_TRAIN_FRACTION,
    seed: r.seed ?? DEFAULT_SEED,
    ...(r.trendThreshold === undefined ? {} : { trendThreshold: r.trendThreshold }),
  });
  if (bars < 10 * spec.folds) throw new InvalidInputError(`from..to holds ${bars} ${interval} bars: too few for ${spec.folds} walk-forward folds (ask for a longer range)`);
  const target: ModelTarget = { symbol: r.symbol, kind, interval, horizonBars };
  return { modelId: modelIdOf(target), target, spec, from, to, engine: r.engine, alias: r.alias, featuresGiven: r.features !== undefined };
};
