/**
 * Alerts from the order books: the registered rules of the book detectors (`spoofing` over each
 * book, `book-arbitrage` over each symbol's books; domain/orderbook/signals/bookSignalFold.ts) run
 * over every book row the archive accepts. What they raise is recorded as AlertRaised /
 * AlertResolved through the alert engine's own command (RecordAlerts), so it reaches the alert
 * book, /ws/alerts and webhooks like any other alert.
 *
 * The rules are read from the ledger here, not by the alert engine: book rows are not in the
 * ledger, so the engine, which folds the ledger, cannot see them. They are read before a batch
 * of rows at most once per RULES_REFRESH_MS (a book batch comes many times a second; a ledger
 * query each would cost more than the rows), so a rule registered or retired takes effect on the
 * books within that long.
 *
 * The detectors' state survives a restart (bookSignalState.ts): it is saved in the archive's turn
 * before intervals are closed (so every row it has not folded is still in the journal), with the
 * rows it covers and the alerts not recorded yet; on start the journal's later rows are folded
 * into it again. Alert ids are deterministic and recorded with their dedup key, so an alert both
 * recorded before a crash and raised again by the refold is appended once.
 */
import { recordAlerts } from '../commands/recordAlerts.js';
import type { CommandDeps } from '../commands/commandContext.js';
import type { AlertOutput } from '../domain/detectors/alertFold.js';
import type { DomainEvent } from '../domain/events/catalogue.js';
import type { BookRow } from '../domain/orderbook/archive/bookRow.js';
import { createBookSignalFold, type BookSignalFold } from '../domain/orderbook/signals/bookSignalFold.js';
import type { SnapshotStore } from '../domain/ports.js';
import type { AlertEngineLog } from '../projections/alerts/foldSnapshots.js';
import type { ArchivedBook, BookArchive, RestoredEntry } from '../projections/orderbook/bookArchive.js';
import { createLedgerRules } from '../projections/alerts/partitioned/ledgerRules.js';
import { coveredRows, loadBookSignalState, saveBookSignalState } from './bookSignalState.js';

/** Levels per side of each exchange's book in an arbitrage alert's evidence. */
const EVIDENCE_DEPTH = 5;
export const RULES_REFRESH_MS = 1_000;

export interface BookSignalsDeps extends CommandDeps {
  readonly snapshots: SnapshotStore;
  readonly log: AlertEngineLog;
}

export interface BookSignals {
  /**
   * Loads the saved state (or starts empty) and the rules; returns what the archive's restore
   * must tell each journal entry, so the rows past the saved state are folded again. Call before
   * the archive's restore, then `record()`.
   */
  resume(): Promise<RestoredEntry>;
  /** Reads the rules registered or retired since the last read, unless that was under RULES_REFRESH_MS ago. */
  refreshRules(): Promise<void>;
  /** Records the alerts the rows raised since the last call. */
  record(): Promise<void>;
  /** Saves the state; call in the archive's turn (flush's beforeClose, atRest). False (logged) when the store refused. */
  save(): Promise<boolean>;
}

/** Watches the archive's rows with the ledger's book rules. */
export const watchBookSignals = (archive: BookArchive, deps: BookSignalsDeps): BookSignals => {
  let fold: BookSignalFold = createBookSignalFold();
  const rules = createLedgerRules(deps.ledger, { models: false });
  let appliedThrough = 0;
  let refreshedAt = Number.NEGATIVE_INFINITY;
  /** The exchanges with a book of each symbol. */
  const exchangesOf = new Map<string, Set<string>>();
  let pending: AlertOutput[] = [];
  /** Alerts being recorded (by each call under way): saved with the state until the ledger has them. */
  const recording = new Set<readonly AlertOutput[]>();

  const exchangesWith = (exchange: string, symbol: string): Set<string> => {
    let xs = exchangesOf.get(symbol);
    if (xs === undefined) exchangesOf.set(symbol, (xs = new Set()));
    xs.add(exchange);
    return xs;
  };
  const onRow = (row: BookRow, book: ArchivedBook): void => {
    const { exchange, symbol } = row.data;
    const exchanges = exchangesWith(exchange, symbol);
    const booksOfSymbol = () =>
      exchanges.size < 2
        ? undefined
        : [...exchanges].flatMap((x) => {
            const b = archive.book(x, symbol);
            return b === undefined ? [] : [{ exchange: x, eventTime: b.lastEventTime, ...b.levels.top(EVIDENCE_DEPTH) }];
          });
    pending.push(...fold.onRow(row, book.levels, booksOfSymbol));
  };
  archive.onRow(onRow);

  const readRules = async (): Promise<void> => {
    await rules.refresh();
    for (const e of rules.between(appliedThrough, Number.POSITIVE_INFINITY)) fold.apply(e as DomainEvent);
    appliedThrough = rules.through;
  };

  return {
    async resume() {
      const saved = await loadBookSignalState(deps, deps.log);
      if (saved !== undefined) {
        fold = saved.fold;
        appliedThrough = saved.rulesThrough;
        pending.push(...saved.unrecorded);
      }
      // Rules are read from the start (the reader keeps them all); those the state was saved after are applied again only if new to it.
      // Not counted as the first read of the throttle: the first batch reads the rules again.
      await readRules();
      const covered = saved?.covered;
      return (entry, index, book) => {
        const { row } = entry;
        if (covered !== undefined && index < (covered.get(book.exchange, book.symbol, entry.intervalStart) ?? 0)) {
          exchangesWith(row.data.exchange, row.data.symbol);
          return;
        }
        // The archive's own snapshots are not told to the listeners when accepted: not here either.
        if (row.origin === 'exchange') onRow(row, book);
      };
    },
    async refreshRules() {
      if (deps.clock.now() - refreshedAt < RULES_REFRESH_MS) return;
      refreshedAt = deps.clock.now();
      await readRules();
    },
    async record() {
      if (pending.length === 0) return;
      const alerts = pending;
      pending = [];
      recording.add(alerts);
      try {
        await recordAlerts(deps, alerts, { actor: 'system:book-signals', correlationId: `book-signals-${alerts[0]!.data.eventTime}`, source: 'book-signals' });
      } catch (e) {
        // Kept for the next call (and the saved state): dropping them would lose the alerts.
        pending = [...alerts, ...pending];
        throw e;
      } finally {
        recording.delete(alerts);
      }
    },
    save: () => saveBookSignalState(deps, deps.log, { fold, rulesThrough: appliedThrough, unrecorded: [...[...recording].flat(), ...pending], covered: coveredRows(archive.books()) }),
  };
};
