/**
 * Starting and stopping the projections of a serving process by its roles (processRoles.ts), in
 * an order that matters within a process: the relay first (the bus then carries everything the
 * other followers may read from it), the speed and batch layers, the default alert rules before
 * the alert followers start folding, and the webhook deliveries the book says are pending only
 * once the alert feed has caught up (the book knows them all then).
 *
 * A role that runs once starts when its lock is held: at once, or later in the background when
 * the process that held it ends (this one stood by). The alert feed, the book the API reads
 * alerts from and the webhook dispatcher works from, runs in every process of the api or alerts
 * role. Stopping ends every follower that runs here, waits for the one that is taking over, and
 * only then releases the locks, so a standby elsewhere never starts beside a follower still
 * committing here. The caller closes the adapters after it.
 */
import type { Logger } from 'pino';
import type { Follower } from '../projections/follower.js';
import type { BatchProjector } from '../projections/batch/batchProjector.js';
import type { WebhookDispatcher } from '../projections/alerts/webhookDispatcher.js';
import type { FollowerMetrics } from './metrics/followerMetrics.js';
import type { ProcessRole } from './processRoles.js';
import type { RoleGate } from './roleGate.js';

export interface Projections {
  /** Publishes the ledger to the bus (cluster profile only). */
  readonly relay: Follower | undefined;
  readonly liveProjection: Follower;
  readonly batchProjector: Pick<BatchProjector, 'start' | 'stop' | 'stats'>;
  readonly alertFeed: Follower;
  readonly alertEngine: Follower;
}

export interface StartOptions {
  readonly roles: ReadonlySet<ProcessRole>;
  readonly gate: RoleGate;
  readonly batchIntervalMs: number;
  readonly registerDefaultRules: () => Promise<void>;
  readonly webhooks: Pick<WebhookDispatcher, 'enqueuePending'>;
  /** Makes this process a worker of the recompute jobs (they run the batch projector: the batch role's). */
  readonly workRecomputes: () => void;
  /** Exports a follower's checkpoint and lag, and holds readiness to it (followerMetrics.ts). */
  readonly follow: FollowerMetrics['follow'];
  readonly logger: Logger;
}

export interface RunningProjections {
  /** 'started' once every role this process may run now has started (a standby role is not waited for). */
  state(): 'starting' | 'started';
  /** The roles whose projections run here now (a standby's once it took over). */
  running(): ReadonlySet<ProcessRole>;
  stop(): Promise<void>;
}

/** The roles with projections, in the order they start. */
const ORDER: readonly ProcessRole[] = ['relay', 'live', 'batch', 'alerts', 'api'];

export const startProjections = async (p: Projections, opts: StartOptions): Promise<RunningProjections> => {
  const running = new Set<ProcessRole>();
  let feedStarted = false;
  let state: 'starting' | 'started' = 'starting';
  let stopping = false;
  const takeovers: Array<Promise<void>> = [];

  const startFeed = async (): Promise<void> => {
    if (feedStarted) return;
    feedStarted = true;
    await p.alertFeed.start();
    opts.follow('alert_feed', p.alertFeed);
  };

  const startRole = async (role: ProcessRole): Promise<void> => {
    switch (role) {
      case 'relay':
        if (p.relay === undefined) return;
        await p.relay.start();
        opts.follow('relay', p.relay);
        break;
      case 'live':
        await p.liveProjection.start();
        opts.follow('live', p.liveProjection);
        break;
      case 'batch':
        p.batchProjector.start(opts.batchIntervalMs);
        opts.workRecomputes();
        // Runs on a schedule: its lag grows between passes by design, so it does not gate readiness.
        opts.follow('batch', p.batchProjector, { gatesReadiness: false });
        break;
      case 'alerts':
        await opts.registerDefaultRules();
        await startFeed();
        await p.alertEngine.start();
        opts.follow('alert_engine', p.alertEngine);
        p.alertFeed.caughtUp.then(() => opts.webhooks.enqueuePending()).catch((e: unknown) => opts.logger.error({ err: e }, 'alert feed failed'));
        p.alertEngine.caughtUp.catch((e: unknown) => opts.logger.error({ err: e }, 'alert engine failed'));
        break;
      case 'api':
        await startFeed();
        break;
      default:
        return;
    }
    running.add(role);
  };

  for (const role of ORDER.filter((r) => opts.roles.has(r))) {
    if (await opts.gate.tryHold(role)) {
      await startRole(role);
      continue;
    }
    takeovers.push(
      opts.gate.waitToHold(role).then(
        (held) => (held && !stopping ? startRole(role) : undefined),
        (e: unknown) => opts.logger.error({ err: e }, `${role}: standing by failed`),
      ),
    );
  }
  state = 'started';

  return {
    state: () => state,
    running: () => running,
    async stop() {
      stopping = true;
      opts.gate.stopWaiting();
      await Promise.allSettled(takeovers);
      if (running.has('relay')) await p.relay?.stop();
      if (running.has('alerts')) await p.alertEngine.stop();
      if (feedStarted) await p.alertFeed.stop();
      if (running.has('live')) await p.liveProjection.stop();
      if (running.has('batch')) await p.batchProjector.stop();
    },
  };
};
