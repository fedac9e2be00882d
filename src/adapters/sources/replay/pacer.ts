/**
 * Replay pacing: at speed N, an item of event time t is due N× faster than it happened, counted
 * from the first item. When event time jumps back by more than a second (the next file starts
 * earlier, e.g. ETH after BTC for the same day) the pace restarts from that item rather than
 * replaying everything after it at once.
 */
import { setImmediate as nextMacrotask } from 'node:timers/promises';

const REBASE_AFTER_BACKWARD_MS = 1_000;

/** Returns, for an item's event time, how many ms to wait before it is due (≤ 0: due now). */
export const createPacer = (speed: number, now: () => number = () => performance.now()): ((eventTime: number) => number) => {
  let originEvent = 0;
  let originWall = 0;
  let newest = -Infinity;
  return (eventTime) => {
    const wall = now();
    if (newest === -Infinity || eventTime < newest - REBASE_AFTER_BACKWARD_MS) {
      originEvent = eventTime;
      originWall = wall;
      newest = eventTime;
    }
    if (eventTime > newest) newest = eventTime;
    return originWall + (eventTime - originEvent) / speed - wall;
  };
};

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted || ms <= 0) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/** Lets timers run now and then, so an abort timer is not starved by an emit that resolves at once. */
export const createYielder = (everyMs = 10): (() => Promise<void>) => {
  let last = performance.now();
  return async () => {
    const t = performance.now();
    if (t - last < everyMs) return;
    await nextMacrotask();
    last = performance.now();
  };
};
