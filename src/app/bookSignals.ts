/**
 * Alerts from the order books: the spoofing detector (domain/orderbook/signals/spoofing.ts) runs
 * over every book row the archive accepts, one detector per book, and the cross-exchange arbitrage
 * fold (domain/orderbook/signals/arbitrageAlert.ts) over every symbol's books after each row; what
 * they raise is recorded as AlertRaised / AlertResolved through the alert engine's own command
 * (RecordAlerts), so it reaches the alert book, /ws/alerts and webhooks like any other alert.
 * Their rules are built in (`book-spoofing`, `book-arbitrage`, the default params): book rows are
 * not in the ledger, so the rule-driven engine, which folds the ledger, cannot see them.
 */
import { recordAlerts } from '../commands/recordAlerts.js';
import type { CommandDeps } from '../commands/commandContext.js';
import type { AlertOutput } from '../domain/detectors/alertFold.js';
import { alertIdOf } from '../domain/detectors/catalogue.js';
import { bookKey } from '../domain/orderbook/archive/bookRow.js';
import { createArbitrageAlertFold, type ArbitrageSignal } from '../domain/orderbook/signals/arbitrageAlert.js';
import { createSpoofingDetector, type SpoofingDetector, type SpoofingEpisode } from '../domain/orderbook/signals/spoofing.js';
import type { BookArchive } from '../projections/orderbook/bookArchive.js';

export const SPOOFING_RULE_ID = 'book-spoofing';
export const ARBITRAGE_RULE_ID = 'book-arbitrage';
/** Levels per side of each exchange's book in an arbitrage alert's evidence. */
const EVIDENCE_DEPTH = 5;

export const arbitrageAlert = (s: ArbitrageSignal): AlertOutput => {
  const alertId = alertIdOf(ARBITRAGE_RULE_ID, s.key, s.episodeStart);
  return s.kind === 'raised'
    ? {
        type: 'AlertRaised',
        causeEventId: null,
        data: { alertId, ruleId: ARBITRAGE_RULE_ID, detector: 'book-arbitrage', symbol: s.symbol, severity: 'warning', eventTime: s.eventTime, message: s.message, evidence: s.evidence },
      }
    : { type: 'AlertResolved', causeEventId: null, data: { alertId, ruleId: ARBITRAGE_RULE_ID, symbol: s.symbol, eventTime: s.eventTime, evidence: { message: s.message, ...s.evidence } } };
};

export const spoofingAlert = (e: SpoofingEpisode): AlertOutput => ({
  type: 'AlertRaised',
  causeEventId: null,
  data: {
    alertId: alertIdOf(SPOOFING_RULE_ID, `${e.exchange}:${e.symbol}:${e.side}`, e.start),
    ruleId: SPOOFING_RULE_ID,
    detector: 'spoofing',
    symbol: e.symbol,
    severity: 'warning',
    eventTime: e.raisedAt,
    message: `${e.exchange} ${e.symbol}: ${e.vanished.length} large ${e.side === 'bids' ? 'bids' : 'asks'} near the touch vanished within seconds without trading`,
    evidence: { exchange: e.exchange, side: e.side, vanished: e.vanished, trades: [] },
  },
});

/** Watches the archive's rows; returns what records the alerts they raised since the last call. */
export const watchBookSignals = (archive: BookArchive, deps: CommandDeps): { record(): Promise<void> } => {
  const detectors = new Map<string, SpoofingDetector>();
  const arbitrage = createArbitrageAlertFold();
  /** The exchanges with a book of each symbol. */
  const exchangesOf = new Map<string, Set<string>>();
  let pending: AlertOutput[] = [];
  archive.onRow((row, book) => {
    const { exchange, symbol, eventTime } = row.data;
    const key = bookKey(exchange, symbol);
    let d = detectors.get(key);
    if (d === undefined) detectors.set(key, (d = createSpoofingDetector()));
    pending.push(...d.onRow(row, book.levels).map((e: SpoofingEpisode) => spoofingAlert(e)));
    let xs = exchangesOf.get(symbol);
    if (xs === undefined) exchangesOf.set(symbol, (xs = new Set()));
    xs.add(exchange);
    if (xs.size < 2) return;
    const books = [...xs].flatMap((x) => {
      const b = archive.book(x, symbol);
      return b === undefined ? [] : [{ exchange: x, eventTime: b.lastEventTime, ...b.levels.top(EVIDENCE_DEPTH) }];
    });
    pending.push(...arbitrage.onBooks(symbol, eventTime, books).map(arbitrageAlert));
  });
  return {
    async record() {
      if (pending.length === 0) return;
      const alerts = pending;
      pending = [];
      await recordAlerts(deps, alerts, { actor: 'system:book-signals', correlationId: `book-signals-${alerts[0]!.data.eventTime}`, source: 'book-signals' });
    },
  };
};
