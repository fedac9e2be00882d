/**
 * Waiting for asynchronous adapters without assuming how fast they are: poll a condition
 * until it holds or a generous deadline passes. Cluster adapters (BullMQ, Redis pub/sub)
 * deliver on their own schedule; embedded ones pass on the first poll.
 */
export interface PollOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /** Said in the error when the deadline passes. */
  /** What was awaited, for the timeout's message; a function is read when the time is up (e.g. a child's stderr so far). */
  readonly what?: string | (() => string);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `check` returns true; `check` may also act (publish a probe) on each poll. */
export const eventually = async (check: () => boolean | Promise<boolean>, options: PollOptions = {}): Promise<void> => {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${(typeof options.what === 'function' ? options.what() : options.what) ?? 'a condition'}`);
    await sleep(options.intervalMs ?? 5);
  }
};

/** A name no other test (or earlier run against the same server) uses. */
export const uniqueName = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
