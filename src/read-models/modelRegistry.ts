/**
 * The model registry read model: models, versions, aliases, predictions and their scores, folded
 * from the ledger (domain/modelRegistry/registry.ts). On start it reads the `models/` and
 * `predictions/` streams (not every event of the ledger) through the head; after that `refresh`
 * follows the four event types by position, so what another process recorded shows up within a
 * refresh, and what this process records shows up at once (it refreshes after its own appends).
 */
import { upcastEvent } from '../domain/events/catalogue.js';
import type { RecordedEvent } from '../domain/events/envelope.js';
import { applyRegistryFact, emptyRegistry, REGISTRY_EVENT_TYPES, type ModelRegistry } from '../domain/modelRegistry/registry.js';
import type { Ledger } from '../domain/ports.js';
import { modelStream, predictionStream } from '../domain/streams.js';

export type RegistryLedger = Pick<Ledger, 'head' | 'streamsMatching' | 'readStream' | 'readTypes'>;

const READ_BATCH = 1_000;

const fold = (registry: ModelRegistry, events: readonly RecordedEvent[]): void => {
  for (const e of events) {
    const up = upcastEvent(e);
    if (up !== undefined) applyRegistryFact(registry, up);
    else registry.throughPosition = Math.max(registry.throughPosition, e.position);
  }
};

/**
 * The registry as the ledger stood at `throughPosition`, from the streams whose names start with
 * the prefixes (every model and prediction by default; one symbol's for a replay).
 */
export const registryThrough = async (
  ledger: Pick<Ledger, 'streamsMatching' | 'readStream'>,
  throughPosition: number,
  symbol?: string,
): Promise<ModelRegistry> => {
  const [models, predictions] = await Promise.all([
    ledger.streamsMatching(modelStream(symbol === undefined ? '' : `${symbol}.`), ''),
    symbol === undefined ? ledger.streamsMatching(predictionStream(''), '') : [predictionStream(symbol)],
  ]);
  const events = (await Promise.all([...models, ...predictions].map((s) => ledger.readStream(s, { throughPosition })))).flat();
  events.sort((a, b) => a.position - b.position);
  const registry = emptyRegistry();
  fold(registry, events);
  registry.throughPosition = throughPosition;
  return registry;
};

export interface ModelRegistryReadModel {
  /** The registry as folded so far (read-only for callers). */
  current(): ModelRegistry;
  /** Folds what the ledger recorded since the last refresh. */
  refresh(): Promise<void>;
}

export const openModelRegistry = async (ledger: RegistryLedger): Promise<ModelRegistryReadModel> => {
  const head = await ledger.head();
  const registry = await registryThrough(ledger, head.position);
  let refreshing: Promise<void> | undefined;
  const readNew = async (): Promise<void> => {
    // Every event of the four types up to this head is read below: the next read starts at the
    // head, not at the last model event (reading by type scans every event after its start).
    const { position } = await ledger.head();
    for (;;) {
      const batch = await ledger.readTypes(registry.throughPosition, REGISTRY_EVENT_TYPES, READ_BATCH);
      fold(registry, batch);
      if (batch.length < READ_BATCH) break;
    }
    registry.throughPosition = Math.max(registry.throughPosition, position);
  };
  return {
    current: () => registry,
    // One read at a time: a second caller waits for the running one, then reads what is newer.
    async refresh() {
      while (refreshing !== undefined) await refreshing;
      refreshing = readNew().finally(() => (refreshing = undefined));
      await refreshing;
    },
  };
};
