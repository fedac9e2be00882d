/**
 * The book half of a live connector: every book snapshot and update a connection decodes goes
 * through that symbol's keeper (the exchange's rules, src/domain/orderbook/), and only what the
 * keeper applied is passed on, so whoever consumes the books sees a whole, checked book. A gap, a
 * checksum mismatch or a dropped connection becomes a `bookResync` item (recorded in the ledger)
 * and a fresh snapshot: fetched from REST where the exchange's procedure says so (Binance,
 * Bitstamp), or asked of the socket by subscribing the symbol's book again (Kraken, OKX, Bybit).
 * REST snapshots are also what every (re)connect starts with for those exchanges; updates that
 * arrive first are held by the keeper until it comes.
 */
import type { BookResyncData, BookSnapshotData } from '../../../domain/orderbook/bookEvents.js';
import { BookKeeper, type BookOutcome } from '../../../domain/orderbook/bookKeeper.js';
import type { BookRules } from '../../../domain/orderbook/bookRules.js';
import type { BookItem, SourceItem } from '../../../domain/ports.js';

export interface BookChannelSpec {
  /** The exchange's rules, for a new keeper. */
  readonly rules: () => BookRules;
  /** A REST snapshot of `symbol`, for exchanges whose socket sends none. */
  readonly fetchSnapshot?: (symbol: string, signal: AbortSignal) => Promise<BookSnapshotData>;
  /** Messages that make the socket send a fresh snapshot of `symbol` (its book unsubscribed and subscribed again). */
  readonly resubscribe?: (symbol: string) => readonly string[];
  /** Wait before asking for a snapshot again after a failed fetch, ms (1 s by default). */
  readonly retryMs?: number;
}

export interface BookStats {
  bookSnapshots: number;
  bookUpdates: number;
  /** Updates dropped as already in the snapshot, per the exchange's procedure. */
  bookStale: number;
  bookResyncs: number;
}

export interface BookConnection {
  /** Passes a decoded book item through its keeper; what to pass on goes to `out`. */
  take(item: BookItem, out: SourceItem[]): void;
  /** The decoder found a message of this book lost (a connection-wide gap): its record goes to `out` if the book was whole, and a fresh snapshot is asked for. */
  lost(report: BookResyncData, out: SourceItem[]): void;
  /** The connection opened: `symbols` are the books it carries. */
  opened(send: (message: string) => void, symbols: readonly string[]): void;
  /** The connection closed: every synced book is no longer whole. */
  closed(): void;
}

interface Deps {
  readonly emit: (items: readonly SourceItem[], source: string) => Promise<void>;
  readonly now: () => number;
  readonly stats: BookStats;
  readonly signal: AbortSignal;
  readonly log?: (level: 'info' | 'warn', message: string) => void;
  readonly name: string;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

export const createBookConnection = (spec: BookChannelSpec, deps: Deps): BookConnection => {
  const keepers = new Map<string, BookKeeper>();
  const fetching = new Set<string>();
  /** REST snapshots one at a time per connection: they weigh on the exchange's rate limit. */
  let fetchQueue: Promise<void> = Promise.resolve();
  let send: ((message: string) => void) | undefined;
  const keeperOf = (symbol: string): BookKeeper => {
    let k = keepers.get(symbol);
    if (k === undefined) keepers.set(symbol, (k = new BookKeeper(spec.rules(), symbol)));
    return k;
  };

  const passOn = (item: BookItem, outcome: BookOutcome, out: SourceItem[]): void => {
    switch (outcome.kind) {
      case 'applied':
        if (item.kind === 'bookSnapshot') deps.stats.bookSnapshots++;
        else deps.stats.bookUpdates++;
        out.push(item);
        for (const data of outcome.replayed ?? []) {
          deps.stats.bookUpdates++;
          out.push({ kind: 'bookUpdate', data });
        }
        // Held updates the snapshot already covered count as stale like those dropped on arrival.
        deps.stats.bookStale += outcome.stale ?? 0;
        return;
      case 'held':
        return;
      case 'stale':
        deps.stats.bookStale++;
        return;
      case 'resync':
        deps.stats.bookResyncs++;
        deps.log?.('warn', `${deps.name}: ${outcome.record.symbol} book resync (${outcome.record.reason}: expected ${outcome.record.expected}, got ${outcome.record.got})`);
        out.push({ kind: 'bookResync', data: outcome.record });
        refresh(item.data.symbol);
    }
  };

  /** A fresh snapshot of `symbol`, as the exchange gives one. */
  const refresh = (symbol: string): void => {
    if (spec.fetchSnapshot !== undefined) {
      if (!fetching.has(symbol)) {
        fetching.add(symbol);
        fetchQueue = fetchQueue.then(() => fetchUntilApplied(symbol));
      }
    } else if (spec.resubscribe !== undefined && send !== undefined) {
      for (const m of spec.resubscribe(symbol)) send(m);
    }
  };

  /** Never rejects: a failure is logged and retried, an emit failure ends the attempts with a log line. */
  const fetchUntilApplied = async (symbol: string): Promise<void> => {
    try {
      for (let attempt = 0; !deps.signal.aborted; attempt++) {
        if (attempt > 0) await sleep(spec.retryMs ?? 1_000, deps.signal);
        if (deps.signal.aborted) return;
        let snapshot: BookSnapshotData;
        try {
          snapshot = await spec.fetchSnapshot!(symbol, deps.signal);
        } catch (e) {
          deps.log?.('warn', `${deps.name}: could not fetch the ${symbol} book snapshot (will retry): ${e instanceof Error ? e.message : String(e)}`);
          continue;
        }
        const out: SourceItem[] = [];
        const item: BookItem = { kind: 'bookSnapshot', data: snapshot };
        const outcome = keeperOf(symbol).apply(item);
        if (outcome.kind === 'resync') {
          // The snapshot does not join the updates held (older than the first of them): another one.
          deps.stats.bookResyncs++;
          out.push({ kind: 'bookResync', data: outcome.record });
        } else passOn(item, outcome, out);
        await deps.emit(out, `${deps.name}:rest`);
        if (outcome.kind !== 'resync') return;
      }
    } catch (e) {
      deps.log?.('warn', `${deps.name}: gave up on the ${symbol} book snapshot: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      fetching.delete(symbol);
    }
  };

  return {
    take: (item, out) => passOn(item, keeperOf(item.data.symbol).apply(item), out),
    lost: (report, out) => {
      const record = keeperOf(report.symbol).lost(report.expected, report.got, report.eventTime);
      if (record === undefined) return;
      deps.stats.bookResyncs++;
      deps.log?.('warn', `${deps.name}: ${record.symbol} book resync (${record.reason}: expected ${record.expected}, got ${record.got})`);
      out.push({ kind: 'bookResync', data: record });
      refresh(record.symbol);
    },
    opened: (s, symbols) => {
      send = s;
      if (spec.fetchSnapshot !== undefined) for (const symbol of symbols) refresh(symbol);
    },
    closed: () => {
      send = undefined;
      const records: SourceItem[] = [];
      for (const k of keepers.values()) {
        const record = k.disconnected(deps.now());
        if (record === undefined) continue;
        deps.stats.bookResyncs++;
        records.push({ kind: 'bookResync', data: record });
      }
      if (records.length > 0) {
        deps.emit(records, deps.name).catch((e: unknown) => deps.log?.('warn', `${deps.name}: could not pass on the book resyncs of a closed connection: ${e instanceof Error ? e.message : String(e)}`));
      }
    },
  };
};
