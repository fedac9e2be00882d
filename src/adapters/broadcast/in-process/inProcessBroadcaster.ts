/**
 * The embedded Broadcaster: synchronous in-process fan-out.
 *
 * Publishers are projections; a subscriber is a WebSocket connection that may be broken. So one
 * handler's exception must neither reach the publisher (it would fail the projection's batch)
 * nor keep later handlers from getting the message: each call is isolated and the error dropped.
 */
import type { Broadcaster } from '../../../domain/ports.js';

/** One object per subscribe call, so the same function subscribed twice is two subscriptions. */
interface Subscriber {
  readonly handler: (message: unknown) => void;
}

export const createInProcessBroadcaster = (): Broadcaster => {
  const channels = new Map<string, Set<Subscriber>>();
  let closed = false;

  return {
    publish(channel, message) {
      const subs = channels.get(channel);
      if (subs === undefined) return;
      // A copy: a handler may unsubscribe (itself or others) while we iterate.
      for (const s of [...subs]) {
        if (!subs.has(s)) continue;
        try {
          s.handler(message);
        } catch {
          // Isolated on purpose: the subscriber owns its failures (see the header).
        }
      }
    },

    subscribe(channel, handler) {
      if (closed) return () => undefined;
      let subs = channels.get(channel);
      if (subs === undefined) channels.set(channel, (subs = new Set()));
      const sub: Subscriber = { handler };
      subs.add(sub);
      return () => {
        const current = channels.get(channel);
        if (current === undefined) return;
        current.delete(sub);
        // Drop empty channels so per-symbol channels of departed clients do not accumulate.
        if (current.size === 0) channels.delete(channel);
      };
    },

    async close() {
      closed = true;
      channels.clear();
    },
  };
};
