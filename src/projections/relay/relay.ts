/**
 * The relay: publishes every ledger event to its bus topic, in ledger order, and checkpoints
 * the ledger position only after the bus acknowledged everything up to it. After a crash or
 * restart it resumes from that checkpoint, so nothing acknowledged by the ledger is skipped;
 * what it had published past the checkpoint is published again, and consumers drop those
 * duplicates by event id. A bus outage pauses the relay (it retries with backoff) instead of
 * stopping it.
 */
import type { RecordedEvent } from '../../domain/events/envelope.js';
import type { Bus, BusMessage, Ledger, Subscription } from '../../domain/ports.js';
import { busCopy } from '../../domain/events/redaction.js';
import { keyOf, topicOf } from './topics.js';
import type { Follower, FollowerStats } from '../follower.js';
import { createFollowerProgress } from '../followerProgress.js';

export const RELAY = 'relay';

/** Events per publish: about one full send per partition of crypto.prices.raw (3 partitions, ~800 bytes an event). */
const DEFAULT_BATCH = 3_000;

export interface RelayStats extends FollowerStats {
  readonly published: number;
  /** Events of types this build has no topic for (written by a newer version). */
  readonly skipped: number;
  readonly retries: number;
}

/** Its checkpoint is the one saved on the bus: `waitFor` waits for the bus to hold the position. */
export type Relay = Follower<RelayStats>;

export interface RelayDeps {
  readonly ledger: Ledger;
  readonly bus: Bus;
  /** The checkpoint's name on the bus; one per relay deployment. */
  readonly name?: string;
  readonly batchSize?: number;
  /** Told of each failed attempt before it is retried. */
  readonly onRetry?: (error: unknown, attempt: number) => void;
  readonly maxBackoffMs?: number;
}

export const createRelay = (deps: RelayDeps): Relay => {
  const name = deps.name ?? RELAY;
  let checkpoint = 0;
  let published = 0;
  let skipped = 0;
  let retries = 0;
  let stopped = false;
  let subscription: Subscription | undefined;
  const progress = createFollowerProgress();

  /** Runs `step` until it succeeds or the relay stops; waits 100 ms, doubling up to the cap, between tries. */
  const untilDone = async (step: () => Promise<void>): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await step();
        return;
      } catch (e) {
        if (stopped) throw e;
        retries++;
        deps.onRetry?.(e, attempt);
        await new Promise((r) => setTimeout(r, Math.min(deps.maxBackoffMs ?? 5_000, 100 * 2 ** Math.min(attempt - 1, 10))));
      }
    }
  };

  const handle = async (events: readonly RecordedEvent[]): Promise<void> => {
    const last = events[events.length - 1];
    if (last === undefined) return;
    const messages: BusMessage[] = [];
    for (const event of events) {
      const topic = topicOf(event);
      if (topic === undefined) skipped++;
      else messages.push({ topic, key: keyOf(event), event: busCopy(event) });
    }
    // A failed publish may have written part of the batch: publishing it all again is safe.
    if (messages.length > 0) await untilDone(() => deps.bus.publish(messages));
    published += messages.length;
    publishedThrough = last.position;
    saveCheckpoint();
  };

  /** Acknowledged by the bus through here; the checkpoint follows it. */
  let publishedThrough = 0;
  let saving: Promise<void> | undefined;
  /**
   * Saves the newest acknowledged position, one save at a time and off the publishing path: a
   * save is a round trip to the bus, so the relay publishes on meanwhile and the next save
   * covers every batch acknowledged in between. A crash before a save only means publishing
   * those batches again, which consumers drop by event id.
   */
  const saveCheckpoint = (): void => {
    if (saving !== undefined || publishedThrough <= checkpoint) return;
    const target = publishedThrough;
    saving = untilDone(() => deps.bus.saveCheckpoint(name, target))
      .then(
        () => {
          checkpoint = target;
          progress.reached(target);
        },
        () => undefined, // only once stopped; stop() saves what is left
      )
      .finally(() => {
        saving = undefined;
        if (!stopped) saveCheckpoint();
      });
  };

  return {
    async start() {
      checkpoint = await deps.bus.checkpoint(name);
      publishedThrough = checkpoint;
      progress.reached(checkpoint);
      subscription = deps.ledger.subscribe(checkpoint, handle, { batchSize: deps.batchSize ?? DEFAULT_BATCH });
      progress.follow(subscription);
    },
    async stop() {
      stopped = true;
      await subscription?.stop();
      await saving;
      if (publishedThrough > checkpoint) {
        // Best effort: what is not saved here is published again by the next start.
        await deps.bus.saveCheckpoint(name, publishedThrough).then(
          () => {
            checkpoint = publishedThrough;
            progress.reached(checkpoint);
          },
          () => undefined,
        );
      }
    },
    caughtUp: progress.caughtUp,
    waitFor: progress.waitFor,
    stats: () => ({ checkpoint, published, skipped, retries }),
  };
};
