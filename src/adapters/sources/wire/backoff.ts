/**
 * Reconnect delays: exponential with "equal jitter" — half the step fixed, half random — so a
 * fleet of clients cut off together does not reconnect in lockstep, yet none retries at once.
 */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /** [0, 1); injectable so tests are deterministic. */
  readonly random?: () => number;
}

export const backoffDelay = (attempt: number, o: BackoffOptions): number => {
  const step = Math.min(o.maxMs, o.initialMs * 2 ** Math.min(attempt, 30));
  const r = (o.random ?? Math.random)();
  return Math.round(step / 2 + (step / 2) * r);
};

/** Resolves after `ms`, or at once when `signal` aborts. */
export const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
