/**
 * Correction rules: a CorrectionIssued voids or replaces an earlier trade. History is never
 * edited; folds that want "the truth now" apply the corrections to the trades they read.
 */
import type { CorrectionIssuedData } from '../events/corrections.js';
import type { TradeData } from '../events/market.js';
import { utcDay } from '../time.js';

export const tradeKey = (t: { exchange: string; symbol: string; tradeId: string }): string =>
  `trade/${t.exchange}/${t.symbol}/${t.tradeId}`;

/**
 * Applies corrections (in ledger order; the last one for a trade wins) to trades. Trades whose
 * correction moves them into the range being folded must be included in `trades` by the caller.
 */
export const applyCorrections = (trades: readonly TradeData[], corrections: readonly CorrectionIssuedData[]): TradeData[] => {
  const finalByKey = new Map<string, CorrectionIssuedData>();
  for (const c of corrections) finalByKey.set(tradeKey(c.target), c);
  const out: TradeData[] = [];
  for (const t of trades) {
    const c = finalByKey.get(tradeKey(t));
    if (c === undefined) out.push(t);
    else if (c.action === 'replace') out.push({ ...t, ...c.replacement });
  }
  return out;
};

/** The event-time days a correction changes: the original trade's and, for a replacement, the new one's. */
export const daysAffected = (original: TradeData, c: CorrectionIssuedData): string[] => {
  const days = new Set([utcDay(original.eventTime)]);
  if (c.action === 'replace') days.add(utcDay(c.replacement.eventTime));
  return [...days].sort();
};
