/**
 * Models and predictions on the platform (docs/models.md): trainings through the job queue (on
 * demand, and nightly for the watched symbols), aliases, predictions served from the registry's
 * serialised models at the latest complete bar, scoring once horizons have passed (hourly, with the
 * watched symbols' scheduled predictions), and the registry's answers.
 *
 * A training's status comes from the ledger first (its ModelTrained, found by the training id),
 * then from this process's record of the trainings it runs (progress), then from the queue's
 * failed jobs; on the cluster profile a training may run in another process: `pending` here.
 */
import type { CommandDeps, CommandOrigin } from '../commands/commandContext.js';
import { makePrediction } from '../commands/makePrediction.js';
import { modelTrainingKey, recordModelTraining } from '../commands/recordModelTraining.js';
import { recordPredictionScore } from '../commands/recordPredictionScore.js';
import { setModelAlias } from '../commands/setModelAlias.js';
import { InvalidInputError, isNotFoundError, NotFoundError, UnavailableError } from '../domain/errors.js';
import type { ModelTrainedData } from '../domain/events/models.js';
import type { FeatureRow } from '../domain/features/featureRow.js';
import { modelIdOf, parseHorizon } from '../domain/modelRegistry/modelIdentity.js';
import { resolveVersion, type ModelVersionRecord } from '../domain/modelRegistry/registry.js';
import { scorePrediction } from '../domain/modelRegistry/scoring.js';
import { readTrainingRequest, usableFeatures, type TrainingRequest } from '../domain/modelRegistry/trainingRequest.js';
import type { TrainedModel } from '../domain/models/index.js';
import type { JobQueue, ModelEngine } from '../domain/ports.js';
import { bucketStart, DAY_MS, INTERVAL_MS } from '../domain/time.js';
import { MarketSymbolCodec, NonEmptyString, validate } from '../domain/validation.js';
import * as t from 'io-ts';
import { MAX_FEATURE_BARS, type FeaturesAnswer, type FeaturesQuery } from '../read-models/features.js';
import { openModelRegistry, type ModelRegistryReadModel } from '../read-models/modelRegistry.js';
import { listModels, modelDetail, modelOf, modelTrackRecord, predictionView, queryPredictions, type PredictionsQuery, type TrackRecordAnswer } from '../read-models/models.js';
import { MAX_CANDLES } from '../read-models/ohlcv.js';
import type { OhlcvReader } from '../read-models/risk.js';
import { codeVersion } from './codeVersion.js';
import { dailyJob, hourlyJob } from './dailyJob.js';

export const MODEL_TRAINING_QUEUE = 'model-training';
export const MODEL_NIGHTLY_QUEUE = 'models-nightly';
export const MODEL_HOURLY_QUEUE = 'models-hourly';
const SYSTEM_ACTOR = 'system:models';
/** How soon an alias set or a model trained by another process is served by this one. */
export const REGISTRY_REFRESH_MS = 1_000;
/** How long the latest bar's feature row is reused by predictions (ms), and for how many symbol-horizons. */
const FEATURE_ROW_TTL_MS = 1_000;
const FEATURE_ROW_CACHE_SIZE = 4_096;
/** The alias a prediction uses when the request names no model or version. */
export const DEFAULT_ALIAS = 'champion';

export type TrainingState = 'pending' | 'running' | 'completed' | 'failed';

export interface TrainingStatus {
  readonly trainingId: string;
  /** Null when another process runs it and the ledger has no result yet. */
  readonly modelId: string | null;
  readonly status: TrainingState;
  /** Done / total work units of the engine: null when the training runs in another process or has not started. */
  readonly progress: number | null;
  readonly version: number | null;
  readonly position: number | null;
  readonly error: string | null;
}

export interface ModelsDeps extends CommandDeps {
  readonly jobs: JobQueue;
  readonly features: (q: FeaturesQuery) => Promise<FeaturesAnswer>;
  readonly ohlcv: OhlcvReader;
  /** The engines by name; `defaultEngine` trains a request that names none. */
  readonly engines: Readonly<Record<string, ModelEngine>>;
  readonly defaultEngine: string;
  /** Watched symbols and horizons (settings), and the nightly training's days. */
  readonly watched: { readonly symbols: readonly string[]; readonly horizons: readonly string[]; readonly trainingDays: number };
  readonly onError: (e: unknown) => void;
}

const PredictionRequest = t.intersection([t.type({ symbol: MarketSymbolCodec, horizon: NonEmptyString }), t.partial({ model: NonEmptyString, kind: t.keyof({ 'return-regression': null, 'trend-classification': null }) })]);

interface TrainingJob {
  readonly trainingId: string;
  readonly request: unknown;
  /** When the request was made: its default range is computed from it, so a retry reads the same bars. */
  readonly requestedAt: number;
  readonly origin: CommandOrigin;
}

interface LocalTraining {
  modelId: string;
  /** Told of the engine's progress as it happens. */
  onProgress?: (done: number, total: number) => void;
  state: 'pending' | 'running' | 'failed';
  progress: number;
  error: string | null;
}

/** `id`, `id@3` (a version) or `id@challenger` (an alias). */
const parseModelRef = (ref: string): { modelId: string; pick: { alias: string } | { version: number } } => {
  const at = ref.lastIndexOf('@');
  if (at < 0) return { modelId: ref, pick: { alias: DEFAULT_ALIAS } };
  const tail = ref.slice(at + 1);
  return { modelId: ref.slice(0, at), pick: /^\d+$/.test(tail) ? { version: Number(tail) } : { alias: tail } };
};

const trainedData = (request: TrainingRequest, engine: string, trained: TrainedModel, provenance: Pick<ModelTrainedData, 'ledgerCheckpoint' | 'featureSource' | 'durationMs'>): Omit<ModelTrainedData, 'version'> => {
  const r = trained.report;
  const metrics = (m: object): Record<string, number | null> =>
    Object.fromEntries(Object.entries(m).filter(([, v]) => typeof v === 'number' || v === null) as Array<[string, number | null]>);
  return {
    modelId: request.modelId,
    symbol: request.target.symbol,
    kind: request.target.kind,
    algorithm: request.spec.algorithm,
    engine,
    interval: request.target.interval,
    horizonBars: request.target.horizonBars,
    spec: { ...request.spec, grid: { ...request.spec.grid }, features: [...request.spec.features] },
    features: [...request.spec.features],
    seed: request.spec.seed,
    parameters: { ...r.chosenParams },
    requestedRange: { from: request.from, to: request.to },
    trainingRange: { ...r.trainingRange },
    rows: { usable: r.usableRows, dropped: r.droppedRows },
    metrics: metrics(r.metrics),
    naiveMetrics: metrics(r.naiveMetrics),
    skill: Number.isFinite(r.skill) ? r.skill : null,
    beatsNaive: r.beatsNaive,
    intervals: (r.intervals ?? []).map((i) => ({ level: i.level, halfWidth: i.halfWidth, coverage: Number.isFinite(i.coverage) ? i.coverage : null })),
    importances: { ...r.importances },
    folds: r.folds.map((f) => ({ trainRows: f.trainRows, testRows: f.testRows, testFrom: f.testFrom, testTo: f.testTo, metrics: metrics(f.metrics) })),
    modelHash: trained.modelHash,
    model: trained.model,
    codeVersion: codeVersion('models'),
    ...provenance,
  };
};

export const createModels = async (deps: ModelsDeps) => {
  const registry: ModelRegistryReadModel = await openModelRegistry(deps.ledger);
  const local = new Map<string, LocalTraining>();

  /** One symbol's feature rows over [from, to), read in pages the feature store answers. */
  const readRows = async (symbol: string, interval: '1h' | '1d', from: number, to: number): Promise<{ rows: FeatureRow[]; definitionVersion: number; batchVersion: number | null }> => {
    const size = INTERVAL_MS[interval];
    const rows: FeatureRow[] = [];
    let definitionVersion = 0;
    let batchVersion: number | null = null;
    for (let start = from; start < to; start += MAX_FEATURE_BARS * size) {
      const page = await deps.features({ symbol, interval, from: start, to: Math.min(to, start + MAX_FEATURE_BARS * size) });
      rows.push(...page.rows);
      definitionVersion = page.definitionVersion;
      if (page.batch !== null) batchVersion = Math.max(batchVersion ?? 0, page.batch.version);
    }
    return { rows, definitionVersion, batchVersion };
  };

  const engineOf = (name: string | undefined): ModelEngine => {
    const engine = deps.engines[name ?? deps.defaultEngine];
    if (engine === undefined) throw new InvalidInputError(`engine "${name}" is not available here; available: ${Object.keys(deps.engines).join(', ')}`);
    return engine;
  };

  const runTraining = async (job: TrainingJob): Promise<void> => {
    if ((await deps.ledger.findByDedupKey(modelTrainingKey(job.trainingId))) !== undefined) return;
    const asked = readTrainingRequest(job.request, job.requestedAt, deps.watched.trainingDays);
    const engine = engineOf(asked.engine);
    const entry: LocalTraining = local.get(job.trainingId) ?? { modelId: asked.modelId, state: 'running', progress: 0, error: null };
    entry.state = 'running';
    local.set(job.trainingId, entry);
    try {
      const checkpoint = await deps.ledger.latestCheckpoint();
      const { rows, definitionVersion, batchVersion } = await readRows(asked.target.symbol, asked.target.interval, asked.from, asked.to);
      if (rows.length === 0) throw new InvalidInputError(`${asked.target.symbol} has no ${asked.target.interval} bars from ${new Date(asked.from).toISOString()} to ${new Date(asked.to).toISOString()} (import or wait for data, or change from/to)`);
      const features = asked.featuresGiven ? asked.spec.features : usableFeatures(asked.spec.features, rows as unknown as Record<string, unknown>[]);
      const request: TrainingRequest = { ...asked, spec: { ...asked.spec, features } };
      const started = performance.now();
      const trained = await engine.train(request.spec, { symbol: request.target.symbol, from: request.from, to: request.to, rows }, (done, total) => {
        entry.progress = total > 0 ? done / total : 0;
        entry.onProgress?.(done, total);
      });
      const data = trainedData(request, engine.name, trained, {
        ledgerCheckpoint: checkpoint === undefined ? null : { size: checkpoint.size, root: checkpoint.root },
        featureSource: { definitionVersion, batchVersion },
        durationMs: Math.round(performance.now() - started),
      });
      const origin = { ...job.origin, source: 'model-training' };
      const recorded = await recordModelTraining(deps, { ...data, trainingId: job.trainingId }, origin);
      if (request.alias !== undefined && recorded.recorded) {
        await setModelAlias(deps, { modelId: request.modelId, alias: request.alias, version: recorded.version, reason: `trained by ${job.trainingId}` }, origin);
      }
      await registry.refresh();
      local.delete(job.trainingId);
    } catch (e) {
      entry.state = 'failed';
      entry.error = e instanceof Error ? e.message : String(e);
      throw e;
    }
  };

  deps.jobs.process(MODEL_TRAINING_QUEUE, async (payload) => {
    const job = payload as Partial<TrainingJob> | null;
    if (typeof job?.trainingId !== 'string' || typeof job.requestedAt !== 'number' || job.origin === undefined) {
      throw new Error(`model training job: payload ${JSON.stringify(payload)} is not {trainingId, request, requestedAt, origin}`);
    }
    await runTraining(job as TrainingJob);
  });

  /** Validates and enqueues; `jobId` makes a scheduled training one job across processes. */
  const train = async (input: unknown, origin: CommandOrigin, jobId?: string, onProgress?: LocalTraining['onProgress']): Promise<{ trainingId: string; modelId: string }> => {
    const requestedAt = deps.clock.now();
    const request = readTrainingRequest(input, requestedAt, deps.watched.trainingDays);
    engineOf(request.engine);
    const trainingId = jobId ?? deps.ids.next();
    local.set(trainingId, { modelId: request.modelId, state: 'pending', progress: 0, error: null, ...(onProgress === undefined ? {} : { onProgress }) });
    // The same request on the same bars fails the same way again: one try.
    await deps.jobs.enqueue(MODEL_TRAINING_QUEUE, trainingId, { trainingId, request: input, requestedAt, origin } satisfies TrainingJob, { attempts: 1 });
    return { trainingId, modelId: request.modelId };
  };

  const training = async (trainingId: string): Promise<TrainingStatus> => {
    const done = await deps.ledger.findByDedupKey(modelTrainingKey(trainingId));
    if (done !== undefined) {
      const d = done.data as ModelTrainedData;
      return { trainingId, modelId: d.modelId, status: 'completed', progress: 1, version: d.version, position: done.position, error: null };
    }
    const mine = local.get(trainingId);
    if (mine !== undefined) return { trainingId, modelId: mine.modelId, status: mine.state, progress: mine.state === 'running' ? mine.progress : null, version: null, position: null, error: mine.error };
    const failed = (await deps.jobs.failed(MODEL_TRAINING_QUEUE)).find((f) => f.id === trainingId);
    if (failed !== undefined) return { trainingId, modelId: null, status: 'failed', progress: null, version: null, position: null, error: failed.error };
    const counts = await deps.jobs.counts(MODEL_TRAINING_QUEUE);
    if (counts.waiting + counts.active === 0) throw new NotFoundError(`no training ${trainingId} (not recorded, not queued)`);
    return { trainingId, modelId: null, status: 'pending', progress: null, version: null, position: null, error: null };
  };

  const versionFor = (modelId: string, pick: { alias: string } | { version: number }): ModelVersionRecord => {
    const model = modelOf(registry.current(), modelId);
    const found = resolveVersion(model, pick);
    if (found === undefined) {
      throw new NotFoundError(
        'alias' in pick
          ? `model ${modelId} has no ${pick.alias}: promote a version first (POST /api/v1/models/aliases {"modelId","alias":"${pick.alias}","version"} or tickvault models promote)`
          : `model ${modelId} has no version ${pick.version} (versions 1-${model.versions.length})`,
      );
    }
    return found;
  };

  /**
   * The latest complete bar's feature row (and the close `horizonBars` before it) as of now. Kept
   * for FEATURE_ROW_TTL_MS per symbol, interval, bar and horizon: a burst of predictions reads the
   * feature store once, and a late trade or a correction of that bar is seen a second later.
   */
  const rowCache = new Map<string, { at: number; value: Promise<{ row: FeatureRow; pastClose: number | null }> }>();
  const latestRow = (m: ModelTrainedData): Promise<{ row: FeatureRow; pastClose: number | null }> => {
    const now = deps.clock.now();
    const key = `${m.symbol}|${m.interval}|${bucketStart(now, m.interval)}|${m.horizonBars}`;
    const cached = rowCache.get(key);
    if (cached !== undefined && now - cached.at < FEATURE_ROW_TTL_MS) return cached.value;
    const value = readLatestRow(m, now);
    rowCache.set(key, { at: now, value });
    // A failed read is not kept: the next prediction asks again.
    value.catch(() => rowCache.delete(key));
    if (rowCache.size > FEATURE_ROW_CACHE_SIZE) rowCache.delete(rowCache.keys().next().value!);
    return value;
  };
  const readLatestRow = async (m: ModelTrainedData, now: number): Promise<{ row: FeatureRow; pastClose: number | null }> => {
    const size = INTERVAL_MS[m.interval];
    const to = bucketStart(now, m.interval);
    const answer = await deps.features({ symbol: m.symbol, interval: m.interval, from: to - (m.horizonBars + 1) * size, to });
    const row = answer.rows[answer.rows.length - 1];
    if (row === undefined || row.time !== to - size) {
      throw new UnavailableError(`${m.symbol} has no complete ${m.interval} bar starting ${new Date(to - size).toISOString()} yet (the latest is ${row === undefined ? 'none' : new Date(row.time).toISOString()}); a prediction needs the latest bar`, 60);
    }
    const past = answer.rows.find((r) => r.time === row.time - m.horizonBars * size);
    return { row, pastClose: past?.close ?? null };
  };

  const predictWith = async (version: ModelVersionRecord, origin: CommandOrigin, scheduled: boolean) => {
    const { row, pastClose } = await latestRow(version.trained);
    return makePrediction(deps, { model: version.trained, row, pastClose, scheduled }, origin);
  };

  const predict = async (input: unknown, origin: CommandOrigin) => {
    const v = validate(PredictionRequest, input, 'prediction');
    if (!v.ok) throw new InvalidInputError(v.reason);
    const { symbol, horizon, model, kind } = v.value;
    const { interval, horizonBars } = parseHorizon(horizon);
    const ref = model === undefined ? { modelId: modelIdOf({ symbol, kind: kind ?? 'return-regression', interval, horizonBars }), pick: { alias: DEFAULT_ALIAS } } : parseModelRef(model);
    const version = versionFor(ref.modelId, ref.pick);
    const m = version.trained;
    if (m.symbol !== symbol || m.horizonBars * INTERVAL_MS[m.interval] !== horizonBars * INTERVAL_MS[interval]) {
      throw new InvalidInputError(`model ${m.modelId} forecasts ${m.symbol} over ${m.horizonBars} ${m.interval} bars, not ${symbol} over ${horizon}`);
    }
    const made = await predictWith(version, origin, false);
    return { ...made.prediction, recorded: made.recorded, position: made.position };
  };

  /** Scores every prediction whose target bar has closed and been settled by the batch layer; the rest stay pending. */
  const score = async (origin: CommandOrigin): Promise<{ scored: number; pending: number }> => {
    await registry.refresh();
    const now = deps.clock.now();
    let scored = 0;
    let pending = 0;
    for (const [symbol, predictions] of registry.current().predictionsBySymbol) {
      const due = predictions.filter((p) => p.scored === null && p.made.targetTime <= now);
      for (const interval of ['1h', '1d'] as const) {
        const size = INTERVAL_MS[interval];
        const ofInterval = due.filter((p) => p.made.interval === interval).sort((a, b) => a.made.targetTime - b.made.targetTime);
        for (let i = 0; i < ofInterval.length; ) {
          const from = ofInterval[i]!.made.targetTime - size;
          const to = Math.min(from + MAX_CANDLES * size, ofInterval[ofInterval.length - 1]!.made.targetTime);
          const closes = new Map<number, number>();
          try {
            const answer = await deps.ohlcv({ symbol, interval, from, to });
            // A score is a fact for good: only bars the batch layer has settled (late trades folded in) are scored.
            const settled = answer.batch?.computedThrough ?? Number.NEGATIVE_INFINITY;
            for (const c of answer.candles) if (c.time + size <= settled) closes.set(c.time, c.close);
          } catch (e) {
            if (!isNotFoundError(e)) throw e;
          }
          for (; i < ofInterval.length && ofInterval[i]!.made.targetTime <= to; i++) {
            const made = ofInterval[i]!.made;
            const close = closes.get(made.targetTime - size);
            if (close === undefined) pending++;
            else if ((await recordPredictionScore(deps, scorePrediction(made, close), origin)).recorded) scored++;
          }
        }
      }
    }
    await registry.refresh();
    return { scored, pending };
  };

  const watchedTargets = (): Array<{ symbol: string; horizon: string }> =>
    deps.watched.symbols.flatMap((symbol) => deps.watched.horizons.map((horizon) => ({ symbol, horizon })));

  const hourly = hourlyJob(deps, MODEL_HOURLY_QUEUE, SYSTEM_ACTOR, async (_hour, origin) => {
    await score(origin);
    for (const { symbol, horizon } of watchedTargets()) {
      const { interval, horizonBars } = parseHorizon(horizon);
      const model = registry.current().models.get(modelIdOf({ symbol, kind: 'return-regression', interval, horizonBars }));
      const champion = model === undefined ? undefined : resolveVersion(model, { alias: DEFAULT_ALIAS });
      if (champion === undefined) continue;
      try {
        await predictWith(champion, origin, true);
      } catch (e) {
        // One symbol without its latest bar does not stop the others'.
        deps.onError(e);
      }
    }
  });

  const nightly = dailyJob(deps, MODEL_NIGHTLY_QUEUE, SYSTEM_ACTOR, async (day, origin) => {
    const to = day + DAY_MS;
    for (const { symbol, horizon } of watchedTargets()) {
      const input = { symbol, horizon, from: to - deps.watched.trainingDays * DAY_MS, to, alias: 'challenger' };
      const { modelId } = readTrainingRequest(input, to, deps.watched.trainingDays);
      await train(input, origin, `models-nightly/${new Date(day).toISOString().slice(0, 10)}/${modelId}`);
    }
  });

  let timer: NodeJS.Timeout | undefined;
  const refreshedFirst = async <A>(answer: () => A): Promise<A> => {
    await registry.refresh();
    return answer();
  };

  return {
    /** `onProgress` hears the engine's progress when this process runs the training. */
    train: (input: unknown, origin: CommandOrigin, onProgress?: (done: number, total: number) => void) => train(input, origin, undefined, onProgress),
    training,
    async setAlias(input: { modelId: string } & Record<string, unknown>, origin: CommandOrigin) {
      const result = await setModelAlias(deps, input, origin);
      await registry.refresh();
      return result;
    },
    predict,
    score,
    list: (symbol?: string) => refreshedFirst(() => listModels(registry.current(), symbol)),
    get: (modelId: string, withModel: boolean) => refreshedFirst(() => modelDetail(registry.current(), modelId, withModel)),
    predictions: (q: PredictionsQuery) => refreshedFirst(() => queryPredictions(registry.current(), q)),
    prediction: (predictionId: string) =>
      refreshedFirst(() => {
        const p = registry.current().predictions.get(predictionId);
        if (p === undefined) throw new NotFoundError(`no prediction ${predictionId}`);
        return predictionView(p);
      }),
    trackRecord: (modelId: string, version?: number): Promise<TrackRecordAnswer> => refreshedFirst(() => modelTrackRecord(registry.current(), modelId, version)),
    /** Refreshes the registry every REGISTRY_REFRESH_MS and runs the hourly and nightly schedules. */
    start(schedules: boolean) {
      timer ??= setInterval(() => registry.refresh().catch(deps.onError), REGISTRY_REFRESH_MS);
      timer.unref();
      if (schedules && deps.watched.symbols.length > 0) {
        hourly.start();
        nightly.start();
      }
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      hourly.stop();
      nightly.stop();
    },
  };
};

export type Models = Awaited<ReturnType<typeof createModels>>;
