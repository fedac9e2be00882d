/**
 * The order-book archive: every book row a connector's book keeper passed goes to the journal
 * (acknowledged once it is on disk), is folded into the book it belongs to (what the live views
 * read), and waits in its interval. Once an interval is complete its rows are written to the lake
 * as one Parquet file, and only once that file is durable is its digest recorded in the ledger;
 * then the journal is compacted to what is still open.
 *
 * A crash at any point loses no acknowledged row and counts none twice: rows not yet in a closed
 * interval are in the journal; an interval whose file was written but whose digest was not is
 * written again (same rows, same file) and recorded; one whose digest was recorded is recognised
 * by its key on restart and dropped from the journal.
 *
 * Every interval file starts with a snapshot of the book (the exchange's, or the archive's own of
 * the book as it stood), and the archive adds one every `snapshotEveryMs` of event time, so a
 * replay reads one file back at most.
 */
import { createHash } from 'node:crypto';
import type { BookDigestRecordedData } from '../../domain/events/bookDigests.js';
import { bookDigestKey } from '../../domain/events/bookDigests.js';
import { bookDigestOf, digestInput } from '../../domain/orderbook/archive/bookDigest.js';
import { bookKey, bookRowText, type BookRow, type JournalEntry } from '../../domain/orderbook/archive/bookRow.js';
import { intervalFor } from '../../domain/orderbook/archive/digestInterval.js';
import { OrderBook } from '../../domain/orderbook/orderBook.js';
import { BOOK_RULES, isBookExchange } from '../../domain/orderbook/bookRules.js';
import type { BookJournal, BookLake, Clock } from '../../domain/ports.js';

export interface BookArchiveSettings {
  /** Event-time length of one digest interval. */
  readonly intervalMs: number;
  /** How long a quiet book's interval stays open past its end, for a feed's delay. */
  readonly graceMs: number;
  /** Event time between the archive's own snapshots of a book within an interval. */
  readonly snapshotEveryMs: number;
}

export interface BookArchiveDeps {
  readonly lake: BookLake;
  readonly journal: BookJournal;
  readonly clock: Clock;
  /** Records a digest in the ledger; a repeat of the same key appends nothing. */
  recordDigest(digest: BookDigestRecordedData): Promise<void>;
  /** Whether the ledger holds a digest with this key. */
  digestRecorded(key: string): Promise<boolean>;
}

/** One book as the archive holds it: its levels now, and its rows not yet in the lake. */
export interface ArchivedBook {
  readonly exchange: string;
  readonly symbol: string;
  readonly levels: OrderBook;
  /** Event time and sequence of the last row folded. */
  lastEventTime: number;
  lastSequence: number | undefined;
  lastSnapshotAt: number | undefined;
  lastClosedStart: number | undefined;
  /** Wall-clock time the last row arrived. */
  lastArrival: number;
  /** Open intervals by start, each with its rows in order. */
  readonly open: Map<number, BookRow[]>;
}

export interface BookArchiveStats {
  readonly rows: number;
  readonly snapshotsAdded: number;
  readonly intervalsClosed: number;
  readonly openRows: number;
  readonly books: number;
}

/**
 * Told each entry the restore folds from the journal, with its place in its book's interval (the
 * n-th row of that interval, from 0) and the book just after it: where the book signals find the
 * rows they had not saved their state past.
 */
export type RestoredEntry = (entry: JournalEntry, indexInInterval: number, book: ArchivedBook) => void;

export interface BookArchive {
  /** Folds the journal of an earlier run; call once, before anything else. */
  restore(onEntry?: RestoredEntry): Promise<void>;
  /** Journals, folds and places rows; resolves once they are on disk (their acknowledgement). */
  accept(rows: readonly BookRow[]): Promise<void>;
  /**
   * Closes every complete interval: lake file, then digest, then journal compaction. Returns how
   * many. When one is due, `beforeClose` runs first, in the archive's turn (every row accepted so
   * far is in the journal, none is being placed); if it answers false, nothing is closed this time.
   */
  flush(beforeClose?: () => Promise<boolean>): Promise<number>;
  /** Runs `work` in the archive's turn: every row accepted so far is in the journal, none is being placed. */
  atRest<T>(work: () => Promise<T>): Promise<T>;
  book(exchange: string, symbol: string): ArchivedBook | undefined;
  books(): Iterable<ArchivedBook>;
  /** Told the key of every book that changed (after its rows are acknowledged). */
  onChange(listener: (book: ArchivedBook) => void): () => void;
  /** Told each row accepted, with its book just after it (before the batch is acknowledged). */
  onRow(listener: (row: BookRow, book: ArchivedBook) => void): () => void;
  stats(): BookArchiveStats;
  close(): Promise<void>;
}

/**
 * The levels a book keeps per side, as its exchange's keeper keeps them (Kraken's and Bitfinex's
 * subscribed depth, past which they send no removal), so the archive's book is the keeper's.
 */
const depthOf = (exchange: string): number | undefined => (isBookExchange(exchange) ? BOOK_RULES[exchange]().depth : undefined);

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const createBookArchive = (deps: BookArchiveDeps, settings: BookArchiveSettings): BookArchive => {
  const books = new Map<string, ArchivedBook>();
  const listeners = new Set<(book: ArchivedBook) => void>();
  const rowListeners = new Set<(row: BookRow, book: ArchivedBook) => void>();
  let rowsFolded = 0;
  let snapshotsAdded = 0;
  let intervalsClosed = 0;
  let failure: Error | undefined;
  // accept and flush take turns: a flush must not close an interval while rows are being placed in it.
  let turn: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = turn.then(() => {
      if (failure !== undefined) throw new Error(`the order-book archive stopped after a failed write (${failure.message}); restart to resume from its journal`);
      return work();
    });
    turn = next.catch(() => undefined);
    return next;
  };

  const bookOf = (row: BookRow): ArchivedBook => {
    const key = bookKey(row.data.exchange, row.data.symbol);
    let b = books.get(key);
    if (b === undefined) {
      b = {
        exchange: row.data.exchange,
        symbol: row.data.symbol,
        levels: new OrderBook(row.data.exchange, row.data.symbol, depthOf(row.data.exchange)),
        lastEventTime: row.data.eventTime,
        lastSequence: undefined,
        lastSnapshotAt: undefined,
        lastClosedStart: undefined,
        lastArrival: 0,
        open: new Map(),
      };
      books.set(key, b);
    }
    return b;
  };

  /** Folds one journalled entry into its book and interval. */
  const place = (b: ArchivedBook, entry: JournalEntry): void => {
    const { row } = entry;
    if (row.kind === 'bookSnapshot') {
      b.levels.replace(row.data.bids, row.data.asks);
      b.lastSnapshotAt = row.data.eventTime;
    } else {
      b.levels.change(row.data.bids, row.data.asks);
    }
    b.lastEventTime = row.data.eventTime;
    if (row.data.sequence !== undefined) b.lastSequence = row.data.sequence;
    let rows = b.open.get(entry.intervalStart);
    if (rows === undefined) b.open.set(entry.intervalStart, (rows = []));
    rows.push(row);
    rowsFolded++;
  };

  const archiveSnapshot = (b: ArchivedBook, eventTime: number): BookRow => {
    snapshotsAdded++;
    const bids = b.levels.bids.top(b.levels.bids.size);
    const asks = b.levels.asks.top(b.levels.asks.size);
    return {
      kind: 'bookSnapshot',
      origin: 'archive',
      data: { exchange: b.exchange, symbol: b.symbol, bids, asks, eventTime, ...(b.lastSequence === undefined ? {} : { sequence: b.lastSequence }) },
    };
  };

  const openEntries = (): JournalEntry[] =>
    [...books.values()].flatMap((b) => [...b.open].flatMap(([intervalStart, rows]) => rows.map((row) => ({ intervalStart, row }))));

  const closeInterval = async (b: ArchivedBook, start: number, rows: readonly BookRow[]): Promise<void> => {
    const digest = bookDigestOf(rows, { start, ms: settings.intervalMs }, sha256(digestInput(rows.map(bookRowText))));
    await deps.lake.writeRows(digest.file, rows);
    await deps.recordDigest(digest);
    b.open.delete(start);
    b.lastClosedStart = Math.max(b.lastClosedStart ?? start, start);
    intervalsClosed++;
  };

  const isDue = (b: ArchivedBook, start: number, now: number): boolean =>
    [...b.open.keys()].some((s) => s > start) || (now - b.lastArrival >= settings.graceMs && start + settings.intervalMs + settings.graceMs <= now);

  const failed = (e: unknown): never => {
    failure = e instanceof Error ? e : new Error(String(e));
    throw failure;
  };

  return {
    async restore(onEntry) {
      const entries = await deps.journal.load();
      const now = deps.clock.now();
      for (const entry of entries) {
        const b = bookOf(entry.row);
        place(b, entry);
        b.lastArrival = now;
        onEntry?.(entry, b.open.get(entry.intervalStart)!.length - 1, b);
      }
      // Intervals whose digest a crash left recorded but not compacted away: already in the lake.
      for (const b of books.values()) {
        for (const [start, rows] of [...b.open]) {
          const digest = bookDigestOf(rows, { start, ms: settings.intervalMs }, sha256(digestInput(rows.map(bookRowText))));
          if (await deps.digestRecorded(bookDigestKey(digest))) {
            b.open.delete(start);
            b.lastClosedStart = Math.max(b.lastClosedStart ?? start, start);
          }
        }
      }
      rowsFolded = 0;
    },

    accept: (rows) =>
      serial(async () => {
        const now = deps.clock.now();
        const entries: JournalEntry[] = [];
        const changed = new Set<ArchivedBook>();
        for (const row of rows) {
          const b = bookOf(row);
          const intervalStart = intervalFor(row.data.eventTime, settings.intervalMs, b.lastClosedStart);
          const opening = !b.open.has(intervalStart);
          const known = b.levels.bids.size + b.levels.asks.size > 0;
          if (opening && row.kind !== 'bookSnapshot' && known) {
            const snapshot = { intervalStart, row: archiveSnapshot(b, row.data.eventTime) };
            place(b, snapshot);
            entries.push(snapshot);
          }
          const entry = { intervalStart, row };
          place(b, entry);
          entries.push(entry);
          for (const l of rowListeners) l(row, b);
          if (row.kind === 'bookUpdate' && b.lastSnapshotAt !== undefined && row.data.eventTime - b.lastSnapshotAt >= settings.snapshotEveryMs) {
            const snapshot = { intervalStart, row: archiveSnapshot(b, row.data.eventTime) };
            place(b, snapshot);
            entries.push(snapshot);
          }
          b.lastArrival = now;
          changed.add(b);
        }
        await deps.journal.append(entries).catch(failed);
        for (const b of changed) for (const l of listeners) l(b);
      }),

    flush: (beforeClose) =>
      serial(async () => {
        const now = deps.clock.now();
        const due = [...books.values()].some((b) => [...b.open.keys()].some((start) => isDue(b, start, now)));
        if (!due || (beforeClose !== undefined && !(await beforeClose()))) return 0;
        let closed = 0;
        for (const b of books.values()) {
          const starts = [...b.open.keys()].sort((x, y) => x - y);
          for (const start of starts) {
            if (!isDue(b, start, now)) continue;
            await closeInterval(b, start, b.open.get(start)!).catch(failed);
            closed++;
          }
        }
        if (closed > 0) await deps.journal.compact(openEntries()).catch(failed);
        return closed;
      }),

    atRest: (work) => serial(work),
    book: (exchange, symbol) => books.get(bookKey(exchange, symbol)),
    books: () => books.values(),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onRow(listener) {
      rowListeners.add(listener);
      return () => rowListeners.delete(listener);
    },
    stats: () => ({
      rows: rowsFolded,
      snapshotsAdded,
      intervalsClosed,
      openRows: [...books.values()].reduce((n, b) => n + [...b.open.values()].reduce((m, r) => m + r.length, 0), 0),
      books: books.size,
    }),
    close: () => serial(() => deps.journal.close()),
  };
};
