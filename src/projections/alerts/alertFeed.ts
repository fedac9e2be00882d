/**
 * The alert feed: folds the ledger into the alert book and, once an alert is in the book,
 * publishes it on the Broadcaster (`alerts` for /ws/alerts, the symbol's stream channel for
 * /ws/stream/{symbol}) and hands it to the webhook dispatcher. Publishing only after indexing is
 * what lets a WebSocket client catch up from the book and then follow the broadcasts without a gap.
 */
import { upcastEvent } from '../../domain/events/catalogue.js';
import type { RecordedEvent } from '../../domain/events/envelope.js';
import type { AlertBook, AlertFeedMessage, Broadcaster, Ledger, Subscription } from '../../domain/ports.js';
import type { Follower } from '../follower.js';
import { createFollowerProgress } from '../followerProgress.js';
import { ALERTS_CHANNEL, streamChannel } from '../../domain/names.js';

/** Its checkpoint is the alert book's: `waitFor` waits for the book to hold the position. */
export type AlertFeed = Follower;

export interface AlertFeedDeps {
  readonly ledger: Ledger;
  readonly book: AlertBook;
  /** Where alerts are published for WebSocket clients; none in a process that serves no API (its book is for webhooks). */
  readonly broadcaster: Broadcaster | undefined;
  /** Called for every alert message after the book has it (live and during catch-up). */
  readonly onMessage?: (m: AlertFeedMessage, live: boolean) => void;
}

export const createAlertFeed = (deps: AlertFeedDeps): AlertFeed => {
  let checkpoint = 0;
  let live = false;
  let subscription: Subscription | undefined;
  const progress = createFollowerProgress();

  const handle = (events: readonly RecordedEvent[]): void => {
    for (const raw of events) {
      const e = upcastEvent(raw);
      if (e === undefined) continue;
      const m = deps.book.apply(e);
      if (m === undefined) continue;
      if (deps.broadcaster !== undefined) {
        deps.broadcaster.publish(ALERTS_CHANNEL, m);
        deps.broadcaster.publish(streamChannel(m.type === 'alert-raised' ? m.alert.symbol : m.resolution.symbol), m);
      }
      deps.onMessage?.(m, live);
    }
    const last = events[events.length - 1];
    if (last !== undefined) checkpoint = last.position;
    progress.reached(checkpoint);
  };

  return {
    async start() {
      subscription = deps.ledger.subscribe(0, handle, { batchSize: 5_000 });
      progress.follow(subscription, () => {
        live = true;
      });
    },
    async stop() {
      await subscription?.stop();
    },
    caughtUp: progress.caughtUp,
    waitFor: progress.waitFor,
    stats: () => ({ checkpoint }),
  };
};
