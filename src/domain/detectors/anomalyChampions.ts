/**
 * The champion anomaly models as the alert fold knows them: a fold of the ledger's ModelTrained
 * (anomaly kind only: the robust-z model is a few numbers, so every version is kept) and
 * ModelAliasSet events. The `anomaly-model` detector scores live bars with `championsOf(symbol)`;
 * because the fold learns of a promotion at the alias event's ledger position, a replay of the
 * ledger switches models at exactly the bar the live engine did, and a rule registered after the
 * promotion still finds the champion (the registry is the fold's, not a detector's).
 */
import type { DomainEvent } from '../events/catalogue.js';
import { ANOMALY_COMPONENTS, type AnomalyComponent, type RobustZJson } from '../models/anomaly/robustZ.js';
import { readArray, readCount, readFinite, readMap, readObject, readString, saveMap, SavedStateError } from './savedState.js';

/** The alias whose version scores live bars. */
export const CHAMPION_ALIAS = 'champion';

export interface ChampionModel {
  readonly modelId: string;
  readonly version: number;
  readonly modelHash: string;
  readonly model: RobustZJson;
}

interface AnomalyVersion {
  readonly modelHash: string;
  readonly model: RobustZJson;
}

interface AnomalyModelState {
  readonly symbol: string;
  readonly versions: Map<string, AnomalyVersion>;
  champion: number | null;
}

export interface AnomalyChampions {
  /** Folds a ModelTrained or ModelAliasSet event (others are ignored); true when the champions changed. */
  apply(event: DomainEvent): boolean;
  /** The symbol's anomaly models that have a champion, in the order the models were first trained. */
  championsOf(symbol: string): readonly ChampionModel[];
  save(): unknown;
  load(state: unknown, path: string): void;
}

const COMPONENTS: ReadonlySet<string> = new Set(ANOMALY_COMPONENTS);

/** A recorded robust-z model read back (from the ledger or a snapshot), every field checked. */
export const readRobustZ = (u: unknown, path: string): RobustZJson => {
  const o = readObject(u, path);
  if (o['type'] !== 'robust-z') throw new SavedStateError(`${path}.type`, '"robust-z"', o['type']);
  const components = readArray(o['components'], `${path}.components`).map((c, i) => {
    const name = readString(c, `${path}.components[${i}]`);
    if (!COMPONENTS.has(name)) throw new SavedStateError(`${path}.components[${i}]`, `one of ${ANOMALY_COMPONENTS.join(', ')}`, c);
    return name as AnomalyComponent;
  });
  return {
    type: 'robust-z',
    window: readCount(o['window'], `${path}.window`),
    minHistory: readCount(o['minHistory'], `${path}.minHistory`),
    threshold: readFinite(o['threshold'], `${path}.threshold`),
    intervalMs: readCount(o['intervalMs'], `${path}.intervalMs`),
    components,
  };
};

const NO_CHAMPIONS: readonly ChampionModel[] = Object.freeze([]);

export const createAnomalyChampions = (): AnomalyChampions => {
  let models = new Map<string, AnomalyModelState>();
  /** symbol → its champions; rebuilt on a change, since bars are scored far more often than models change. */
  let bySymbol = new Map<string, ChampionModel[]>();

  const index = (): void => {
    bySymbol = new Map();
    for (const [modelId, m] of models) {
      const v = m.champion === null ? undefined : m.versions.get(String(m.champion));
      if (v === undefined) continue;
      const list = bySymbol.get(m.symbol) ?? [];
      list.push({ modelId, version: m.champion!, modelHash: v.modelHash, model: v.model });
      bySymbol.set(m.symbol, list);
    }
  };

  return {
    apply(e) {
      if (e.type === 'ModelTrained') {
        const d = e.data;
        if (d.kind !== 'anomaly') return false;
        let model: RobustZJson;
        try {
          model = readRobustZ(d.model, 'model');
        } catch {
          // Recorded by an engine whose anomaly model is not this one: nothing live can score with it.
          return false;
        }
        const m = models.get(d.modelId) ?? { symbol: d.symbol, versions: new Map(), champion: null };
        models.set(d.modelId, m);
        m.versions.set(String(d.version), { modelHash: d.modelHash, model });
        // A champion alias recorded before its version (not possible through the commands, harmless here) takes effect now.
        if (m.champion === d.version) index();
        return m.champion === d.version;
      }
      if (e.type === 'ModelAliasSet') {
        const m = models.get(e.data.modelId);
        if (m === undefined || e.data.alias !== CHAMPION_ALIAS) return false;
        m.champion = e.data.version;
        index();
        return true;
      }
      return false;
    },
    championsOf: (symbol) => bySymbol.get(symbol) ?? NO_CHAMPIONS,
    save: () =>
      saveMap(models, (m) => ({
        symbol: m.symbol,
        champion: m.champion,
        versions: saveMap(m.versions, (v) => ({ modelHash: v.modelHash, model: v.model })),
      })),
    load(state, path) {
      models = readMap(state, path, (u, p) => {
        const o = readObject(u, p);
        const champion = o['champion'] === null ? null : readCount(o['champion'], `${p}.champion`);
        const versions = readMap(o['versions'], `${p}.versions`, (v, vp) => {
          const vo = readObject(v, vp);
          return { modelHash: readString(vo['modelHash'], `${vp}.modelHash`), model: readRobustZ(vo['model'], `${vp}.model`) };
        });
        return { symbol: readString(o['symbol'], `${p}.symbol`), champion, versions };
      });
      index();
    },
  };
};
