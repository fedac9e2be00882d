/**
 * Answers from the model registry: the models with their versions and aliases, one model's
 * training record (metrics beside the naive forecast's, features, importances), predictions with
 * their scores, and a model's live track record from its PredictionScored events.
 */
import { InvalidInputError, NotFoundError } from '../domain/errors.js';
import type { ModelTrainedData } from '../domain/events/models.js';
import { horizonLabel } from '../domain/modelRegistry/modelIdentity.js';
import type { ModelRecord, ModelRegistry, ModelVersionRecord, PredictionRecord } from '../domain/modelRegistry/registry.js';
import { trackRecord, type TrackFigures, type TrackRecordPeriod } from '../domain/modelRegistry/trackRecord.js';

/** Predictions per answer at most: a longer range is paged with from/to. */
export const MAX_PREDICTIONS = 5_000;

const iso = (t: number): string => new Date(t).toISOString();

const versionSummary = (v: ModelVersionRecord) => ({
  version: v.trained.version,
  algorithm: v.trained.algorithm,
  engine: v.trained.engine,
  trainedAt: iso(v.recordedAt),
  actor: v.actor,
  skill: v.trained.skill,
  beatsNaive: v.trained.beatsNaive,
  modelHash: v.trained.modelHash,
  position: v.position,
});

const aliasesOf = (m: ModelRecord): Record<string, number> => Object.fromEntries([...m.aliases].map(([alias, c]) => [alias, c.version!]));

const modelHeader = (m: ModelRecord) => ({
  modelId: m.modelId,
  symbol: m.symbol,
  kind: m.kind,
  interval: m.interval,
  horizon: horizonLabel(m.interval, m.horizonBars),
  horizonBars: m.horizonBars,
  aliases: aliasesOf(m),
});

export const listModels = (r: ModelRegistry, symbol?: string) =>
  [...r.models.values()]
    .filter((m) => symbol === undefined || m.symbol === symbol)
    .sort((a, b) => (a.modelId < b.modelId ? -1 : 1))
    .map((m) => ({ ...modelHeader(m), versions: m.versions.length, latest: versionSummary(m.versions[m.versions.length - 1]!) }));

const versionDetail = (v: ModelVersionRecord, withModel: boolean) => {
  const t: ModelTrainedData = v.trained;
  return {
    ...versionSummary(v),
    parameters: t.parameters,
    features: t.features,
    seed: t.seed,
    spec: t.spec,
    requestedRange: { from: iso(t.requestedRange.from), to: iso(t.requestedRange.to) },
    trainingRange: { from: iso(t.trainingRange.from), to: iso(t.trainingRange.to) },
    rows: t.rows,
    ledgerCheckpoint: t.ledgerCheckpoint,
    featureSource: t.featureSource,
    metrics: t.metrics,
    naiveMetrics: t.naiveMetrics,
    intervals: t.intervals,
    importances: t.importances,
    folds: t.folds,
    durationMs: t.durationMs,
    codeVersion: t.codeVersion,
    ...(withModel ? { model: t.model } : {}),
  };
};

export const modelOf = (r: ModelRegistry, modelId: string): ModelRecord => {
  const m = r.models.get(modelId);
  if (m === undefined) throw new NotFoundError(`no model ${modelId} (GET /api/v1/models lists them; model ids look like BTC-USDT.return.1h)`);
  return m;
};

export const modelDetail = (r: ModelRegistry, modelId: string, withModel: boolean) => {
  const m = modelOf(r, modelId);
  return {
    ...modelHeader(m),
    aliasHistory: m.aliasHistory.map((c) => ({ ...c, recordedAt: iso(c.recordedAt) })),
    versions: m.versions.map((v) => versionDetail(v, withModel)),
  };
};

export interface PredictionsQuery {
  readonly symbol?: string;
  readonly modelId?: string;
  /** madeAt in [from, to). */
  readonly from: number;
  readonly to: number;
}

export const predictionView = (p: PredictionRecord) => ({
  ...p.made,
  horizon: horizonLabel(p.made.interval, p.made.horizonBars),
  recordedAt: iso(p.recordedAt),
  actor: p.actor,
  position: p.position,
  score: p.scored === null ? null : { ...p.scored.data, position: p.scored.position, recordedAt: iso(p.scored.recordedAt) },
});

export const queryPredictions = (r: ModelRegistry, q: PredictionsQuery) => {
  if (q.symbol === undefined && q.modelId === undefined) throw new InvalidInputError('name a symbol or a model (symbol=BTC-USDT or model=BTC-USDT.return.1h)');
  if (q.to <= q.from) throw new InvalidInputError(`to (${iso(q.to)}) must be after from (${iso(q.from)})`);
  const symbol = q.symbol ?? (q.modelId === undefined ? undefined : r.models.get(q.modelId)?.symbol);
  const all = symbol === undefined ? [] : (r.predictionsBySymbol.get(symbol) ?? []);
  const matching = all.filter((p) => (q.modelId === undefined || p.made.modelId === q.modelId) && p.made.madeAt >= q.from && p.made.madeAt < q.to);
  const truncated = matching.length > MAX_PREDICTIONS;
  return {
    symbol: symbol ?? null,
    model: q.modelId ?? null,
    from: iso(q.from),
    to: iso(q.to),
    // The newest ones when there are more than one answer holds: page back with `to`.
    predictions: (truncated ? matching.slice(-MAX_PREDICTIONS) : matching).map(predictionView),
    truncated,
    scored: matching.filter((p) => p.scored !== null).length,
  };
};

export interface TrackRecordAnswer {
  readonly modelId: string;
  readonly version: number | null;
  readonly predictions: number;
  readonly scored: number;
  readonly overall: (TrackFigures & { scored: number }) | null;
  readonly periods: TrackRecordPeriod[];
  /** What the figures mean (docs/models.md). */
  readonly definitions: string;
}

export const modelTrackRecord = (r: ModelRegistry, modelId: string, version?: number): TrackRecordAnswer => {
  const m = modelOf(r, modelId);
  if (version !== undefined && m.versions[version - 1] === undefined) throw new NotFoundError(`model ${modelId} has no version ${version}`);
  const made = (r.predictionsBySymbol.get(m.symbol) ?? []).filter((p) => p.made.modelId === modelId && (version === undefined || p.made.version === version));
  const scores = made.flatMap((p) => (p.scored === null ? [] : [p.scored.data]));
  return {
    modelId,
    version: version ?? null,
    predictions: made.length,
    scored: scores.length,
    ...trackRecord(scores),
    definitions:
      m.kind === 'return-regression'
        ? 'error: mean |realised − predicted log return|; naiveError: the same for the zero-return forecast; skill = 1 − error / naiveError; hitRate: directional accuracy; coverage: share of realised returns inside each interval'
        : 'error: share of wrong classes; naiveError: the same for persistence (the last realised class); skill = 1 − error / naiveError; hitRate: accuracy',
  };
};
