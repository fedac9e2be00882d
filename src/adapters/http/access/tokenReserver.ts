/**
 * Spending a per-second budget shared by several processes (SecondBudgets) without asking the
 * shared store for every request: a process reserves a batch of a counter's tokens at once and
 * spends them locally, asking again only when its batch is spent. Requests that find no local
 * token while a reservation is on its way wait for that one rather than sending their own, so a
 * counter has at most one reservation in flight per process. Once a reservation says nothing is
 * left, the rest of that second is refused here without asking.
 *
 * The limit holds exactly: tokens are only ever spent after the shared store granted them, and it
 * never grants more than the limit per counter. The price is tokens a process reserved and did
 * not spend before its second ended: another process may have been refused meanwhile. Batches
 * are therefore small against what is left (an eighth of the remaining budget, at most a
 * twentieth of the limit), so close to the limit they shrink to single tokens and what a process
 * can hold back is a few requests.
 */
import type { Reservation, SecondBudgets } from './secondBudgets.js';
import { recentSeconds } from './secondBudgets.js';

/** At most this share of a counter's limit per reservation: a round trip per 50 requests at 1,000/s. */
const MAX_BATCH_SHARE = 20;
/** At most this share of what is left: batches shrink as the budget runs out, so little is held back unspent. */
const REMAINING_SHARE = 8;

/** Tokens to ask for, given what was left of the counter when last heard. */
export const batchSize = (limit: number, remaining: number): number =>
  Math.max(1, Math.min(Math.floor(limit / MAX_BATCH_SHARE), Math.ceil(remaining / REMAINING_SHARE)));

interface Counter {
  /** Granted to this process and not spent yet. */
  tokens: number;
  /** Left of the limit across every process, as the last reservation said (the limit before any). */
  remaining: number;
  reserving: Promise<void> | undefined;
}

export interface TokenReserver {
  /** Whether one more request of counter `key` may go: at once when this process holds a token or knows none is left, else after a reservation. */
  take(key: string, limit: number): boolean | Promise<boolean>;
  /** Of the counter's limit, what is known to be spent or held by other processes (for the x-ratelimit-remaining header). */
  used(key: string, limit: number): number;
}

const isPromise = <T>(x: T | Promise<T>): x is Promise<T> => typeof (x as { then?: unknown }).then === 'function';

export const createTokenReserver = (budgets: SecondBudgets, now: () => number = Date.now): TokenReserver => {
  const counters = recentSeconds<Counter>(now);
  const apply = (c: Counter, r: Reservation): void => {
    c.tokens += r.granted;
    // Nothing granted means nothing left, whatever the count says.
    c.remaining = r.granted === 0 ? 0 : r.remaining;
  };
  const spend = (c: Counter, key: string, limit: number): boolean | Promise<boolean> => {
    for (;;) {
      if (c.tokens > 0) {
        c.tokens--;
        return true;
      }
      if (c.remaining <= 0) return false;
      if (c.reserving !== undefined) return c.reserving.then(() => spend(c, key, limit));
      const r = budgets.reserve(key, batchSize(limit, c.remaining), limit);
      if (!isPromise(r)) {
        apply(c, r);
        continue;
      }
      c.reserving = r.then((x) => apply(c, x)).finally(() => {
        c.reserving = undefined;
      });
    }
  };
  return {
    take(key, limit) {
      let c = counters.get(key);
      if (c === undefined) {
        c = { tokens: 0, remaining: limit, reserving: undefined };
        counters.set(key, c);
      }
      return spend(c, key, limit);
    },
    used(key, limit) {
      const c = counters.get(key);
      return c === undefined ? 0 : Math.max(0, limit - c.remaining - c.tokens);
    },
  };
};
