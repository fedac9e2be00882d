/**
 * The published correlation matrices and networks, kept whole so the routes can serve them. A
 * BatchViewPublished event carries only a view's hash; its content is kept in the SnapshotStore
 * (SQLite on the embedded profile, PostgreSQL on the cluster), one entry per view and as-of day,
 * pinned like any snapshot to the ledger event it belongs to: the position and leaf hash of that
 * BatchViewPublished. A later publication of the same view and day (a correction changed a close)
 * replaces the entry; an older one never does.
 */
import type { BatchViewPublishedData } from '../../domain/events/corrections.js';
import type { Ledger, SnapshotStore } from '../../domain/ports.js';
import { utcDay } from '../../domain/time.js';
import type { AnalyticsQuery, Provenance } from './analyticsQuery.js';
import type { CorrelationContent, Hashed, NetworkContent } from './analyticsViews.js';

/** The entry's format: a reader ignores an entry of another. */
const FORMAT_VERSION = 1;

export interface PublishedEntry {
  /** The view's name as BatchViewPublished carries it (`network/30d/pearson/0.5`). */
  readonly view: string;
  readonly content: Hashed<CorrelationContent> | Hashed<NetworkContent>;
  /** How its symbols were chosen and the batch versions their closes came from, at publication. */
  readonly provenance: Provenance;
}

/** Where a published answer came from: its BatchViewPublished event. */
export interface Publication {
  readonly position: number;
  readonly engine: string;
  readonly version: number;
}

const entryName = (view: string, asOf: string): string => `analytics-view/${view}/${asOf}`;

export interface PublishedViews {
  /** Keeps a view's content beside its BatchViewPublished event at `position`. */
  save(entry: PublishedEntry, position: number): Promise<void>;
  /**
   * The published view for `view` as of the query's day, when its symbols are the query's (the
   * same top-N selection, or the same set of symbols given), with the event it was published by.
   */
  find(view: string, q: AnalyticsQuery): Promise<(PublishedEntry & { publication: Publication }) | undefined>;
}

const sameSymbols = (q: AnalyticsQuery, entry: PublishedEntry): boolean => {
  const sel = entry.provenance.selection;
  if (q.symbols === null) return sel !== 'given' && sel.topByQuoteVolume === q.top;
  const published = new Set(entry.content.symbols);
  return q.symbols.length === published.size && q.symbols.every((s) => published.has(s));
};

export const publishedViews = (deps: { readonly snapshots: SnapshotStore; readonly ledger: Pick<Ledger, 'read'> }): PublishedViews => {
  const eventAt = async (position: number) => (position < 1 ? [] : await deps.ledger.read(position - 1, 1)).find((e) => e.position === position);
  return {
    async save(entry, position) {
      const name = entryName(entry.view, entry.content.asOf);
      const stored = await deps.snapshots.load(name);
      if (stored !== undefined && stored.checkpoint > position) return;
      const event = await eventAt(position);
      if (event === undefined) throw new Error(`no ledger event at position ${position} to keep view ${entry.view} beside`);
      await deps.snapshots.save(name, { checkpoint: position, checkpointHash: event.leafHash, version: FORMAT_VERSION, state: JSON.stringify(entry) });
    },
    async find(view, q) {
      const stored = await deps.snapshots.load(entryName(view, utcDay(q.asOf)));
      if (stored === undefined || stored.version !== FORMAT_VERSION) return undefined;
      // The entry must still belong to this ledger's event, and that event to this content: a data
      // dir whose ledger was replaced, or a lost write, answers on demand rather than unproven.
      const event = await eventAt(stored.checkpoint);
      const data = event?.data as BatchViewPublishedData | undefined;
      const entry = JSON.parse(stored.state) as PublishedEntry;
      if (event?.leafHash !== stored.checkpointHash || data?.view !== view || data.contentHash !== entry.content.contentHash) return undefined;
      if (!sameSymbols(q, entry)) return undefined;
      return { ...entry, publication: { position: stored.checkpoint, engine: data.engine, version: data.version } };
    },
  };
};
