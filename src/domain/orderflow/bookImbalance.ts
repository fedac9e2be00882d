/**
 * Book imbalance per minute, time-weighted: what the order-flow bars (orderFlow.ts) read.
 *
 * The imbalance observed is the touch imbalance of bookView.ts, (best bid qty − best ask qty) /
 * (their sum), in [−1, 1], null while either side is empty (`touchImbalanceOf`). Each observation holds from its event time until the book's next
 * observation or the end of its minute, whichever comes first; a minute's imbalance is the
 * time-weighted mean of the observations made within it. The part of a minute before its first
 * observation is not counted (the book was not observed in that minute yet), so a minute without
 * an observation has no imbalance at all (null, never 0). Minutes are monoids (weighted sum,
 * observed ms), so a longer bar is the time-weighted mean over the observed parts of its minutes,
 * and the consolidated figure of several exchanges is their mean weighted by observed time.
 */
import type { OrderBook } from '../orderbook/orderBook.js';
import { imbalanceRatio } from '../orderbook/views/bookView.js';
import { MINUTE_MS } from '../time.js';

/** One minute of one book (or of several summed): Σ imbalance × ms held, and Σ ms held. */
export interface ImbalanceMinute {
  readonly minute: number;
  readonly weighted: number;
  readonly observedMs: number;
}

/** The touch imbalance of a book as bookView.ts defines it: null unless both sides have a level. */
export const touchImbalanceOf = (book: OrderBook): number | null => {
  const bid = book.bestBid();
  const ask = book.bestAsk();
  return bid === undefined || ask === undefined ? null : imbalanceRatio(Number(bid.qty), Number(ask.qty));
};

/** Sums minutes by minute start; output sorted by minute. */
export const sumMinutes = (minutes: Iterable<ImbalanceMinute>): ImbalanceMinute[] => {
  const byMinute = new Map<number, { weighted: number; observedMs: number }>();
  for (const m of minutes) {
    const acc = byMinute.get(m.minute);
    if (acc === undefined) byMinute.set(m.minute, { weighted: m.weighted, observedMs: m.observedMs });
    else {
      acc.weighted += m.weighted;
      acc.observedMs += m.observedMs;
    }
  }
  return [...byMinute].map(([minute, a]) => ({ minute, ...a })).sort((x, y) => x.minute - y.minute);
};

/** The imbalance of summed minutes: null when nothing was observed. */
export const meanImbalance = (weighted: number, observedMs: number): number | null => (observedMs > 0 ? weighted / observedMs : null);

interface Held {
  readonly at: number;
  readonly imbalance: number | null;
}

/**
 * One book's minutes, fed its observations in event-time order (an observation older than the one
 * held adds no weight to it, and is then held itself). Keeps the last `retainMinutes` minutes.
 */
export class BookImbalanceMinutes {
  private held: Held | undefined;
  private firstAt: number | undefined;
  private prunedAt = Number.NEGATIVE_INFINITY;
  private readonly closed = new Map<number, { weighted: number; observedMs: number }>();

  constructor(private readonly retainMinutes: number) {}

  observe(eventTime: number, imbalance: number | null): void {
    this.firstAt ??= eventTime;
    if (this.held !== undefined) this.close(this.held, eventTime);
    this.held = { at: eventTime, imbalance };
    // Pruned once per new minute, not per row: books change many times a second.
    const minute = this.minuteOf(eventTime);
    if (minute <= this.prunedAt) return;
    this.prunedAt = minute;
    const oldest = minute - (this.retainMinutes - 1) * MINUTE_MS;
    for (const m of this.closed.keys()) if (m < oldest) this.closed.delete(m);
  }

  /**
   * The minutes in [from, to), the observation held so far counted to the end of its minute (so
   * a minute with one observation has its imbalance, and the current minute its value so far).
   */
  minutes(from: number, to: number): ImbalanceMinute[] {
    const out: ImbalanceMinute[] = [];
    for (const [minute, a] of this.closed) if (minute >= from && minute < to && a.observedMs > 0) out.push({ minute, ...a });
    const h = this.held;
    if (h !== undefined && h.imbalance !== null) {
      const minute = this.minuteOf(h.at);
      if (minute >= from && minute < to) {
        const ms = minute + MINUTE_MS - h.at;
        const i = out.findIndex((m) => m.minute === minute);
        const before = i < 0 ? { weighted: 0, observedMs: 0 } : out[i]!;
        const merged = { minute, weighted: before.weighted + h.imbalance * ms, observedMs: before.observedMs + ms };
        if (i < 0) out.push(merged);
        else out[i] = merged;
      }
    }
    return out.sort((x, y) => x.minute - y.minute);
  }

  /**
   * The first minute these minutes hold whole: the one after the first observation's (the book
   * may have changed earlier in that minute unobserved), or the oldest one kept if later.
   * Undefined before any observation.
   */
  wholeFrom(): number | undefined {
    if (this.firstAt === undefined) return undefined;
    return Math.max(this.minuteOf(this.firstAt) + MINUTE_MS, this.prunedAt - (this.retainMinutes - 1) * MINUTE_MS);
  }

  private minuteOf(t: number): number {
    return Math.floor(t / MINUTE_MS) * MINUTE_MS;
  }

  /** Adds `h` held until `until` or its minute's end, whichever is first. */
  private close(h: Held, until: number): void {
    const minute = this.minuteOf(h.at);
    const ms = Math.max(0, Math.min(until, minute + MINUTE_MS) - h.at);
    if (h.imbalance === null || ms === 0) return;
    const acc = this.closed.get(minute);
    if (acc === undefined) this.closed.set(minute, { weighted: h.imbalance * ms, observedMs: ms });
    else {
      acc.weighted += h.imbalance * ms;
      acc.observedMs += ms;
    }
  }
}
