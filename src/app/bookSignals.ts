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
 */
import { recordAlerts } from '../commands/recordAlerts.js';
import type { CommandDeps } from '../commands/commandContext.js';
import type { AlertOutput } from '../domain/detectors/alertFold.js';
import type { DomainEvent } from '../domain/events/catalogue.js';
import { createBookSignalFold } from '../domain/orderbook/signals/bookSignalFold.js';
import type { BookArchive } from '../projections/orderbook/bookArchive.js';
import { createLedgerRules } from '../projections/alerts/partitioned/ledgerRules.js';

/** Levels per side of each exchange's book in an arbitrage alert's evidence. */
const EVIDENCE_DEPTH = 5;
export const RULES_REFRESH_MS = 1_000;

export interface BookSignals {
  /** Reads the rules registered or retired since the last read, unless that was under RULES_REFRESH_MS ago. */
  refreshRules(): Promise<void>;
  /** Records the alerts the rows raised since the last call. */
  record(): Promise<void>;
}

/** Watches the archive's rows with the ledger's book rules. */
export const watchBookSignals = (archive: BookArchive, deps: CommandDeps): BookSignals => {
  const fold = createBookSignalFold();
  const rules = createLedgerRules(deps.ledger, { models: false });
  let appliedThrough = 0;
  let refreshedAt = Number.NEGATIVE_INFINITY;
  /** The exchanges with a book of each symbol. */
  const exchangesOf = new Map<string, Set<string>>();
  let pending: AlertOutput[] = [];
  archive.onRow((row, book) => {
    const { exchange, symbol } = row.data;
    let xs = exchangesOf.get(symbol);
    if (xs === undefined) exchangesOf.set(symbol, (xs = new Set()));
    xs.add(exchange);
    const exchanges = xs;
    const booksOfSymbol = () =>
      exchanges.size < 2
        ? undefined
        : [...exchanges].flatMap((x) => {
            const b = archive.book(x, symbol);
            return b === undefined ? [] : [{ exchange: x, eventTime: b.lastEventTime, ...b.levels.top(EVIDENCE_DEPTH) }];
          });
    pending.push(...fold.onRow(row, book.levels, booksOfSymbol));
  });
  return {
    async refreshRules() {
      const now = deps.clock.now();
      if (now - refreshedAt < RULES_REFRESH_MS) return;
      refreshedAt = now;
      await rules.refresh();
      for (const e of rules.between(appliedThrough, Number.POSITIVE_INFINITY)) fold.apply(e as DomainEvent);
      appliedThrough = rules.through;
    },
    async record() {
      if (pending.length === 0) return;
      const alerts = pending;
      pending = [];
      await recordAlerts(deps, alerts, { actor: 'system:book-signals', correlationId: `book-signals-${alerts[0]!.data.eventTime}`, source: 'book-signals' });
    },
  };
};
