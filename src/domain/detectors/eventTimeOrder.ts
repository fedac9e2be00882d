/**
 * Puts trades into event-time order under the same watermark rule as the candles: the watermark
 * is the largest event time seen minus the allowed lateness; a trade is released once the
 * watermark passes it, in (eventTime, position) order; a trade older than what was already
 * released is late and dropped (counted). Releases depend only on the trades pushed so far, so
 * the output does not depend on how the ledger was batched.
 */
import type { DetectorTrade } from './detector.js';
import { readArray, readCount, readNumber, readObject, readTrade, saveTrade, SavedStateError } from './savedState.js';

export interface EventTimeOrder {
  /** Pushes one trade; returns the trades the watermark now releases, in order. */
  push(trade: DetectorTrade): DetectorTrade[];
  readonly late: () => number;
  /** Event time up to which trades were released (the detectors' clock). */
  readonly releasedThrough: () => number;
  /** The trades still held back and the watermark's figures. */
  save(): unknown;
  load(state: unknown, path: string): void;
}

const before = (a: DetectorTrade, b: DetectorTrade): boolean =>
  a.eventTime < b.eventTime || (a.eventTime === b.eventTime && a.position < b.position);

export const createEventTimeOrder = (allowedLatenessMs: number): EventTimeOrder => {
  /** Pending trades are pending[head..]; released ones are dropped from the front in bulk, not one splice per trade. */
  let pending: DetectorTrade[] = [];
  let head = 0;
  let maxSeen = Number.NEGATIVE_INFINITY;
  let released = Number.NEGATIVE_INFINITY;
  let late = 0;
  return {
    push(trade) {
      if (trade.eventTime < released) {
        late++;
        return [];
      }
      // Mostly in order already: walk back from the end to the insertion point.
      let i = pending.length;
      while (i > head && before(trade, pending[i - 1]!)) i--;
      if (i === pending.length) pending.push(trade);
      else pending.splice(i, 0, trade);
      if (trade.eventTime > maxSeen) maxSeen = trade.eventTime;
      const watermark = maxSeen - allowedLatenessMs;
      let n = head;
      while (n < pending.length && pending[n]!.eventTime <= watermark) n++;
      if (n === head) return [];
      const out = pending.slice(head, n);
      head = n;
      if (head > 4_096 && head * 2 > pending.length) {
        pending = pending.slice(head);
        head = 0;
      }
      released = out[out.length - 1]!.eventTime;
      return out;
    },
    late: () => late,
    releasedThrough: () => released,
    save: () => ({ pending: pending.slice(head).map(saveTrade), maxSeen, released, late }),
    load(state, path) {
      const o = readObject(state, path);
      const trades = readArray(o['pending'], `${path}.pending`).map((t, i) => readTrade(t, `${path}.pending[${i}]`));
      for (let i = 1; i < trades.length; i++) {
        if (before(trades[i]!, trades[i - 1]!)) throw new SavedStateError(`${path}.pending[${i}]`, 'trades in (eventTime, position) order', trades[i]!.eventTime);
      }
      pending = trades;
      head = 0;
      maxSeen = readNumber(o['maxSeen'], `${path}.maxSeen`);
      released = readNumber(o['released'], `${path}.released`);
      late = readCount(o['late'], `${path}.late`);
    },
  };
};
