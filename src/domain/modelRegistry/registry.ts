/**
 * The model registry as a fold of the ledger's model and prediction events: every registered
 * model with its versions (trainings) and aliases, and every prediction with its score. The read
 * model keeps one registry up to date; compliance replay folds the events recorded by T into a
 * fresh one, which is what the system knew then.
 */
import type { ModelAliasSetData, ModelTrainedData, PredictionMadeData, PredictionScoredData } from '../events/models.js';
import type { ModelInterval, ModelKindName } from '../events/models.js';

/** What the fold reads of a recorded event. */
export interface RegistryFact {
  readonly type: string;
  readonly data: unknown;
  readonly position: number;
  readonly meta: { readonly recordedAt: number; readonly actor: string };
}

export interface ModelVersionRecord {
  readonly trained: ModelTrainedData;
  readonly position: number;
  readonly recordedAt: number;
  readonly actor: string;
}

export interface AliasChange {
  readonly alias: string;
  /** null: the alias was removed. */
  readonly version: number | null;
  readonly reason: string;
  readonly position: number;
  readonly recordedAt: number;
  readonly actor: string;
}

export interface ModelRecord {
  readonly modelId: string;
  readonly symbol: string;
  readonly kind: ModelKindName;
  readonly interval: ModelInterval;
  readonly horizonBars: number;
  /** Oldest first; version n is at index n − 1. */
  readonly versions: ModelVersionRecord[];
  /** Alias → its latest change (removed aliases are absent). */
  readonly aliases: Map<string, AliasChange>;
  readonly aliasHistory: AliasChange[];
}

export interface ScoreRecord {
  readonly data: PredictionScoredData;
  readonly position: number;
  readonly recordedAt: number;
}

export interface PredictionRecord {
  readonly made: PredictionMadeData;
  readonly position: number;
  readonly recordedAt: number;
  readonly actor: string;
  scored: ScoreRecord | null;
}

export interface ModelRegistry {
  readonly models: Map<string, ModelRecord>;
  readonly predictions: Map<string, PredictionRecord>;
  /** Per symbol, in ledger order. */
  readonly predictionsBySymbol: Map<string, PredictionRecord[]>;
  /** The highest position folded. */
  throughPosition: number;
}

export const REGISTRY_EVENT_TYPES = ['ModelTrained', 'ModelAliasSet', 'PredictionMade', 'PredictionScored'] as const;

export const emptyRegistry = (): ModelRegistry => ({ models: new Map(), predictions: new Map(), predictionsBySymbol: new Map(), throughPosition: 0 });

const applyTrained = (r: ModelRegistry, d: ModelTrainedData, f: RegistryFact): void => {
  let model = r.models.get(d.modelId);
  if (model === undefined) {
    model = { modelId: d.modelId, symbol: d.symbol, kind: d.kind, interval: d.interval, horizonBars: d.horizonBars, versions: [], aliases: new Map(), aliasHistory: [] };
    r.models.set(d.modelId, model);
  }
  model.versions.push({ trained: d, position: f.position, recordedAt: f.meta.recordedAt, actor: f.meta.actor });
};

const applyAlias = (r: ModelRegistry, d: ModelAliasSetData, f: RegistryFact): void => {
  const model = r.models.get(d.modelId);
  if (model === undefined) return;
  const change: AliasChange = { alias: d.alias, version: d.version, reason: d.reason, position: f.position, recordedAt: f.meta.recordedAt, actor: f.meta.actor };
  model.aliasHistory.push(change);
  if (d.version === null) model.aliases.delete(d.alias);
  else model.aliases.set(d.alias, change);
};

const applyMade = (r: ModelRegistry, d: PredictionMadeData, f: RegistryFact): void => {
  if (r.predictions.has(d.predictionId)) return;
  const record: PredictionRecord = { made: d, position: f.position, recordedAt: f.meta.recordedAt, actor: f.meta.actor, scored: null };
  r.predictions.set(d.predictionId, record);
  const list = r.predictionsBySymbol.get(d.symbol);
  if (list === undefined) r.predictionsBySymbol.set(d.symbol, [record]);
  else list.push(record);
};

const applyScored = (r: ModelRegistry, d: PredictionScoredData, f: RegistryFact): void => {
  const record = r.predictions.get(d.predictionId);
  if (record !== undefined && record.scored === null) record.scored = { data: d, position: f.position, recordedAt: f.meta.recordedAt };
};

/** Folds one event (already upcast to the current schema); events already folded (by position) and other types are ignored. */
export const applyRegistryFact = (r: ModelRegistry, f: RegistryFact): void => {
  if (f.position <= r.throughPosition) return;
  r.throughPosition = f.position;
  switch (f.type) {
    case 'ModelTrained':
      return applyTrained(r, f.data as ModelTrainedData, f);
    case 'ModelAliasSet':
      return applyAlias(r, f.data as ModelAliasSetData, f);
    case 'PredictionMade':
      return applyMade(r, f.data as PredictionMadeData, f);
    case 'PredictionScored':
      return applyScored(r, f.data as PredictionScoredData, f);
    default:
      return;
  }
};

/** The version an alias names, or a version number given as such; undefined when there is none. */
export const resolveVersion = (model: ModelRecord, ref: { alias: string } | { version: number }): ModelVersionRecord | undefined => {
  const version = 'alias' in ref ? model.aliases.get(ref.alias)?.version : ref.version;
  return version === undefined || version === null ? undefined : model.versions[version - 1];
};
