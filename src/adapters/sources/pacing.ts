/** Waiting that an abort cuts short: a run loop must stop promptly when its signal fires. */
import { setImmediate as nextMacrotask } from 'node:timers/promises';

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

/**
 * Lets timers and I/O run now and then. An `emit` that resolves at once keeps a loop on the
 * microtask queue, where it would starve the very timer that aborts it.
 */
export const createYielder = (everyMs = 10): (() => Promise<void>) => {
  let last = performance.now();
  return async () => {
    const now = performance.now();
    if (now - last < everyMs) return;
    await nextMacrotask();
    last = performance.now();
  };
};
