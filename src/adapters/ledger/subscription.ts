/**
 * Catch-up-then-live delivery shared by ledger adapters: read pages after the last delivered
 * position; when nothing is left, wait for the next commit. One handler call at a time, so a
 * position is never skipped or delivered twice.
 */
import type { RecordedEvent } from '../../domain/events/envelope.js';
import type { Subscription, SubscriptionHandler } from '../../domain/ports.js';

export interface SubscriptionSource {
  readonly after: number;
  readonly batchSize: number;
  readonly handler: SubscriptionHandler;
  readonly read: (after: number, limit: number) => Promise<RecordedEvent[]>;
  readonly headPosition: () => number;
  /** Registers a listener called after each commit; returns the unregister function. */
  readonly onCommit: (listener: () => void) => () => void;
  /** For adapters without in-process commit notifications: poll this often (ms). */
  readonly pollMs?: number;
}

export const createSubscription = (src: SubscriptionSource): Subscription => {
  let stopped = false;
  let wake: (() => void) | undefined;
  const unregister = src.onCommit(() => wake?.());
  const initialHead = src.headPosition();
  let resolveCaughtUp!: () => void;
  const caughtUp = new Promise<void>((r) => (resolveCaughtUp = r));

  const loop = async (): Promise<void> => {
    let position = src.after;
    if (position >= initialHead) resolveCaughtUp();
    while (!stopped) {
      const events = await src.read(position, src.batchSize);
      if (stopped) break;
      if (events.length > 0) {
        await src.handler(events);
        position = events[events.length - 1]!.position;
        if (position >= initialHead) resolveCaughtUp();
        // A full page means a replay: give the event loop a turn before the next one, so that
        // sockets and timers are served during a long catch-up, and so that followers replaying
        // together advance a page each per turn and read each page from the ledger's page cache
        // once, not once each.
        if (events.length === src.batchSize) await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      resolveCaughtUp();
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (src.pollMs !== undefined) setTimeout(resolve, src.pollMs);
        // A commit between our read and this wait is not missed: re-check the head.
        if (src.headPosition() > position) resolve();
      });
      wake = undefined;
    }
  };

  const done = loop().finally(() => {
    unregister();
    resolveCaughtUp();
  });
  return {
    caughtUp,
    done,
    async stop() {
      stopped = true;
      wake?.();
      await done.catch(() => undefined);
    },
  };
};
