/**
 * Alerts from the order books: the spoofing detector (domain/orderbook/signals/spoofing.ts) runs
 * over every book row the archive accepts, one detector per book, and each episode it raises is
 * recorded as an AlertRaised through the alert engine's own command (RecordAlerts), so it reaches
 * the alert book, /ws/alerts and webhooks like any other alert. Its rule is built in
 * (`book-spoofing`, the detector's default params): book rows are not in the ledger, so the
 * rule-driven engine, which folds the ledger, cannot see them.
 */
import { recordAlerts } from '../commands/recordAlerts.js';
import type { CommandDeps } from '../commands/commandContext.js';
import type { AlertOutput } from '../domain/detectors/alertFold.js';
import { alertIdOf } from '../domain/detectors/catalogue.js';
import { bookKey } from '../domain/orderbook/archive/bookRow.js';
import { createSpoofingDetector, type SpoofingDetector, type SpoofingEpisode } from '../domain/orderbook/signals/spoofing.js';
import type { BookArchive } from '../projections/orderbook/bookArchive.js';

export const SPOOFING_RULE_ID = 'book-spoofing';

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

/** Watches the archive's rows; returns what records the episodes seen since the last call. */
export const watchSpoofing = (archive: BookArchive, deps: CommandDeps): { record(): Promise<void> } => {
  const detectors = new Map<string, SpoofingDetector>();
  let pending: SpoofingEpisode[] = [];
  archive.onRow((row, book) => {
    const key = bookKey(row.data.exchange, row.data.symbol);
    let d = detectors.get(key);
    if (d === undefined) detectors.set(key, (d = createSpoofingDetector()));
    pending.push(...d.onRow(row, book.levels));
  });
  return {
    async record() {
      if (pending.length === 0) return;
      const episodes = pending;
      pending = [];
      await recordAlerts(deps, episodes.map(spoofingAlert), { actor: 'system:book-signals', correlationId: `book-signals-${episodes[0]!.raisedAt}`, source: 'book-signals' });
    },
  };
};
