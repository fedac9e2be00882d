/**
 * Order books in the platform: the archive (journal → lake → ledger digest) that every book item a
 * source emits goes through, the flush timer that closes intervals, the live views broadcast per
 * symbol (at most one per `bookStreamMs`), the answers GET /api/v1/orderbook gives, live or
 * replayed from the lake, and the book imbalance per minute the order-flow bars read.
 *
 * Where the lake is: the embedded profile's under the data folder (`lake/`); the cluster profile's
 * too for now (its HDFS lake is written by Spark, not by this process), said in docs/orderbooks.md.
 */
import path from 'node:path';
import { openFileBookJournal } from '../adapters/lake/orderbook/fileBookJournal.js';
import type { CommandDeps } from '../commands/commandContext.js';
import { bookChannel } from '../domain/names.js';
import type { BookRow } from '../domain/orderbook/archive/bookRow.js';
import type { BookItem, BookLake, Broadcaster, SnapshotStore } from '../domain/ports.js';
import { bookLakeFor } from './profiles/bookLake.js';
import { createBookArchive, type ArchivedBook, type BookArchive } from '../projections/orderbook/bookArchive.js';
import { watchBookImbalance } from '../projections/orderbook/imbalanceWatch.js';
import { barImbalance } from '../read-models/barImbalance.js';
import type { OrderFlowSources } from '../read-models/orderFlow.js';
import { orderBookAnswer, type HeldBook, type OrderBookAnswer } from '../read-models/orderBooks.js';
import { bookSymbols } from '../read-models/bookSymbols.js';
import { replayOrderBooks, type ReplayedOrderBooks } from '../read-models/orderBookReplay.js';
import { ledgerDigests } from './bookDigests.js';
import { watchBookSignals } from './bookSignals.js';
import type { Config } from './config.js';
import type { BookConsumer } from './ingestSource.js';
import type { Logger } from 'pino';

/** Levels per side in each broadcast view. */
export const STREAM_DEPTH = 20;

/** Minutes of book imbalance each book keeps for the order-flow bars: a day of 1m bars. */
export const IMBALANCE_RETAIN_MINUTES = 1_440;

export interface OrderBooks {
  /** The book imbalance minutes of the order-flow bars: live where held whole, else from the lake. */
  readonly imbalance: OrderFlowSources['imbalance'];
  readonly archive: BookArchive;
  readonly lake: BookLake;
  /** What ingestSource hands book items to. */
  readonly consume: BookConsumer;
  /** The live books of `symbol` (one exchange's when named). */
  live(symbol: string, exchange: string | undefined, depth: number): OrderBookAnswer;
  /** The books of `symbol` as they stood at `at`, rebuilt from the lake and checked against the ledger's digests. */
  replay(symbol: string, exchange: string | undefined, depth: number, at: number): Promise<ReplayedOrderBooks>;
  /** Closes the complete intervals (the book signals' state saved first); the timer started by `start` calls it. */
  flush(): Promise<number>;
  /** The symbols with a book: digested in the ledger, or live here. */
  symbols(): Promise<string[]>;
  start(): void;
  close(): Promise<void>;
}

const held = (b: ArchivedBook): HeldBook => ({ exchange: b.exchange, symbol: b.symbol, book: b.levels, eventTime: b.lastEventTime, sequence: b.lastSequence });

export const openOrderBooks = async (
  deps: CommandDeps & { readonly config: Config; readonly broadcaster: Pick<Broadcaster, 'publish'>; readonly logger: Logger; readonly snapshots: SnapshotStore },
): Promise<OrderBooks> => {
  const { config, broadcaster, logger, ledger, clock } = deps;
  const lake = bookLakeFor(config);
  const journal = await openFileBookJournal(path.join(config.dataDir, 'orderbook-journal'));
  const archive = createBookArchive(
    { lake, journal, clock, ...ledgerDigests(deps) },
    { intervalMs: config.bookIntervalMs, graceMs: config.bookGraceMs, snapshotEveryMs: config.bookSnapshotMs },
  );
  const signals = watchBookSignals(archive, { ...deps, log: { info: (m) => logger.info(m), warn: (m, err) => logger.warn({ err }, m) } });
  // The detectors resume from their saved state, and fold the journal's rows past it again.
  await archive.restore(await signals.resume());
  await signals.record();
  const imbalance = watchBookImbalance(archive, IMBALANCE_RETAIN_MINUTES);

  const replayDeps = { ledger, lake, openRows: (x: string, s: string) => [...(archive.book(x, s)?.open.values() ?? [])].flat() };
  const liveBooks = (symbol: string, exchange: string | undefined): HeldBook[] =>
    [...archive.books()].filter((b) => b.symbol === symbol && (exchange === undefined || b.exchange === exchange)).map(held);

  // Symbols changed since the last broadcast: one view each per tick, however many updates came.
  const dirty = new Set<string>();
  archive.onChange((b) => dirty.add(b.symbol));
  const broadcast = (): void => {
    for (const symbol of dirty) broadcaster.publish(bookChannel(symbol), { type: 'book', ...orderBookAnswer(symbol, liveBooks(symbol, undefined), STREAM_DEPTH) });
    dirty.clear();
  };
  const flushEveryMs = Math.min(5_000, Math.max(250, config.bookIntervalMs / 4));
  /** How long after a minute every interval that could hold a row of it is closed and digested (twice the flush period: one may be under way). */
  const settledMs = config.bookIntervalMs + config.bookGraceMs + 2 * flushEveryMs;
  let timers: NodeJS.Timeout[] = [];
  let tookBooks = false;
  let flushing = false;
  const flush = (): void => {
    if (flushing) return;
    flushing = true;
    archive
      .flush(signals.save)
      .catch((err: unknown) => logger.error({ err }, 'order-book archive: closing intervals failed; book items are refused until a restart resumes from the journal'))
      .finally(() => (flushing = false));
  };

  return {
    archive,
    lake,
    async consume(_source, items: readonly BookItem[]) {
      tookBooks = true;
      await signals.refreshRules();
      await archive.accept(items.map((i): BookRow => ({ ...i, origin: 'exchange' }) as BookRow));
      await signals.record();
    },
    imbalance: (symbol, exchange, from, to) => barImbalance({ ...replayDeps, settledBefore: clock.now() - settledMs }, imbalance.books(symbol, exchange), symbol, exchange, from, to),
    live: (symbol, exchange, depth) => orderBookAnswer(symbol, liveBooks(symbol, exchange), depth),
    replay: (symbol, exchange, depth, at) => replayOrderBooks(replayDeps, { symbol, exchange, depth, at }),
    flush: () => archive.flush(signals.save),
    symbols: () => bookSymbols(ledger, archive.books()),
    start() {
      timers = [setInterval(broadcast, config.bookStreamMs), setInterval(flush, flushEveryMs)];
      for (const t of timers) t.unref();
    },
    async close() {
      for (const t of timers) clearInterval(t);
      timers = [];
      // Only where books were taken in (another process may share the snapshot store): a restart then folds nothing again.
      if (tookBooks) await archive.atRest(signals.save);
      await archive.close();
    },
  };
};
