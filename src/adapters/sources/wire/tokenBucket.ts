/**
 * A token bucket: at most `capacity` requests at once, refilled at `perMinute`. `take` waits
 * for a token (or until `signal` aborts); `pauseFor` empties it for a while, when a server
 * answers 429 with Retry-After.
 */
import { sleep } from './backoff.js';

export interface TokenBucket {
  take(signal: AbortSignal): Promise<void>;
  pauseFor(ms: number): void;
}

export const createTokenBucket = (o: { capacity: number; perMinute: number; now?: () => number }): TokenBucket => {
  const now = o.now ?? Date.now;
  const msPerToken = 60_000 / o.perMinute;
  let tokens = o.capacity;
  let updated = now();
  let blockedUntil = 0;
  const refill = (): void => {
    const t = now();
    tokens = Math.min(o.capacity, tokens + (t - updated) / msPerToken);
    updated = t;
  };
  return {
    async take(signal) {
      for (;;) {
        if (signal.aborted) return;
        const t = now();
        if (t < blockedUntil) {
          await sleep(blockedUntil - t, signal);
          continue;
        }
        refill();
        if (tokens >= 1) {
          tokens -= 1;
          return;
        }
        await sleep(Math.ceil((1 - tokens) * msPerToken), signal);
      }
    },
    pauseFor(ms) {
      blockedUntil = Math.max(blockedUntil, now() + ms);
      tokens = 0;
      updated = now();
    },
  };
};
