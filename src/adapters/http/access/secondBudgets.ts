/**
 * The port behind the rate limiter (rateLimit.ts): one counter per subject (an API key, or an
 * address) and clock second, its key naming both, holding how many of the second's `limit`
 * requests have been handed out. A process takes tokens from it in batches (tokenReserver.ts),
 * so every API process spends one key's one budget without asking for each request. Two
 * adapters: this process's own memory (the embedded profile, one process) and Redis
 * (redisSecondBudgets.ts: the cluster profile, every API process).
 */

/** What a reservation handed out, and what is left of the counter's limit after it. */
export interface Reservation {
  /** Between 0 and `wanted`; 0 only when nothing is left (then `remaining` is 0). */
  readonly granted: number;
  readonly remaining: number;
}

export interface SecondBudgets {
  /**
   * Up to `wanted` (≥ 1) tokens of counter `key`, as many as are left of `limit`: the tokens
   * granted by every call on one key, whichever process made it, never add up to more than
   * `limit`. Synchronous where no server is asked.
   */
  reserve(key: string, wanted: number, limit: number): Reservation | Promise<Reservation>;
}

/** Counters of the clock second now and the one before (a request counted in the last second may still be reserving when the next begins); older ones are dropped. */
export interface RecentSeconds<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
}

export const recentSeconds = <T>(now: () => number): RecentSeconds<T> => {
  let second = Math.floor(now() / 1_000);
  let current = new Map<string, T>();
  let previous = new Map<string, T>();
  const turn = (): void => {
    const s = Math.floor(now() / 1_000);
    if (s === second) return;
    previous = s === second + 1 ? current : new Map();
    current = new Map();
    second = s;
  };
  return {
    get(key) {
      turn();
      return current.get(key) ?? previous.get(key);
    },
    set(key, value) {
      turn();
      current.set(key, value);
    },
  };
};

/** Counters in this process's memory: for a single process, where no other spends the budget. */
export const createLocalSecondBudgets = (now: () => number = Date.now): SecondBudgets => {
  const used = recentSeconds<number>(now);
  return {
    reserve(key, wanted, limit) {
      const before = used.get(key) ?? 0;
      const granted = Math.min(wanted, Math.max(0, limit - before));
      used.set(key, before + granted);
      return { granted, remaining: limit - before - granted };
    },
  };
};
