/**
 * Starting and stopping the projections of a serving process, in an order that matters: the
 * relay first (the bus then carries everything the other followers may read from it), the
 * speed and batch layers, the default alert rules before the alert followers start folding, and
 * the webhook deliveries the book says are pending only once the alert feed has caught up (the
 * book knows them all then). Stopping ends every follower and the batch schedule; the caller
 * closes the adapters they use after it.
 */
import type { Logger } from 'pino';
import type { Follower } from '../projections/follower.js';
import type { BatchProjector } from '../projections/batch/batchProjector.js';
import type { WebhookDispatcher } from '../projections/alerts/webhookDispatcher.js';

export interface Projections {
  /** Publishes the ledger to the bus (cluster profile only). */
  readonly relay: Follower | undefined;
  readonly liveProjection: Follower;
  readonly batchProjector: Pick<BatchProjector, 'start' | 'stop'>;
  readonly alertFeed: Follower;
  readonly alertEngine: Follower;
}

export interface StartOptions {
  readonly batchIntervalMs: number;
  readonly registerDefaultRules: () => Promise<void>;
  readonly webhooks: Pick<WebhookDispatcher, 'enqueuePending'>;
  readonly logger: Logger;
}

export const startProjections = async (p: Projections, opts: StartOptions): Promise<void> => {
  await p.relay?.start();
  await p.liveProjection.start();
  p.batchProjector.start(opts.batchIntervalMs);
  await opts.registerDefaultRules();
  await p.alertFeed.start();
  await p.alertEngine.start();
  p.alertFeed.caughtUp.then(() => opts.webhooks.enqueuePending()).catch((e: unknown) => opts.logger.error({ err: e }, 'alert feed failed'));
  p.alertEngine.caughtUp.catch((e: unknown) => opts.logger.error({ err: e }, 'alert engine failed'));
};

export const stopProjections = async (p: Projections): Promise<void> => {
  await p.relay?.stop();
  await p.alertEngine.stop();
  await p.alertFeed.stop();
  await p.liveProjection.stop();
  await p.batchProjector.stop();
};
