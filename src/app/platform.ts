/**
 * The composition root: takes the adapter set of the configured profile (app/profiles/:
 * embedded = one process, no server; cluster = PostgreSQL, Redis, BullMQ), wires it to the
 * ports and exposes the command and query sides the HTTP layer and the CLI use. Profiles differ
 * in adapters, and a profile with a bus (cluster) also runs the relay and the consumer-group alert
 * engine; domain, commands, projections and read models are the same code.
 */
import type { Logger } from 'pino';
import { createUuidV7Generator } from '../adapters/system/uuidv7.js';
import { systemClock } from '../adapters/system/systemClock.js';
import { recordAlerts } from '../commands/recordAlerts.js';
import { recordWebhookDelivery } from '../commands/recordWebhookDelivery.js';
import { createHttpWebhookPoster } from '../adapters/webhooks/httpWebhookPoster.js';
import { createAlertEngine, type AlertEngine } from '../projections/alerts/alertEngine.js';
import { createPartitionedAlertEngine } from '../projections/alerts/partitionedAlertEngine.js';
import { createAlertEngineThread } from '../projections/alerts/thread/alertEngineThread.js';
import { createAlertFeed, type AlertFeed } from '../projections/alerts/alertFeed.js';
import { registerDefaultAlertRules } from '../projections/alerts/defaultRules.js';
import { createWebhookDispatcher } from '../projections/alerts/webhookDispatcher.js';
import { createAlertBook } from '../read-models/alertBook.js';
import type { CommandOrigin } from '../commands/commandContext.js';
import type { SpeedPolicy } from '../domain/folds/series.js';
import type { AlertBook, BatchStore, Broadcaster, Clock, IdGenerator, JobQueue, Ledger, LiveStore, MarketSource } from '../domain/ports.js';
import { createBatchProjector, type BatchProjector } from '../projections/batch/batchProjector.js';
import { processRecomputeJobs } from '../projections/batch/recomputeJobs.js';
import { createLiveProjection, type LiveProjection } from '../projections/live/liveProjection.js';
import type { Config } from './config.js';
import { createRelay, type Relay } from '../projections/relay/relay.js';
import { openClusterAdapters } from './profiles/cluster.js';
import { openEmbeddedAdapters } from './profiles/embedded.js';
import { analyticsEngine } from './profiles/analyticsEngine.js';
import { batchEngineFactory } from './profiles/batchEngine.js';
import { modelEngines } from './profiles/modelEngines.js';
import { createIngestMetrics, type IngestMetrics } from './ingestMetrics.js';
import { ingestSource } from './ingestSource.js';
import { openOrderBooks, type OrderBooks } from './orderBooks.js';
import { createPlatformCommands, type PlatformCommands } from './platformCommands.js';
import { createPlatformQueries, type PlatformQueries } from './platformQueries.js';
import { startProjections, type RunningProjections } from './projectionLifecycle.js';
import { PROCESS_ROLES, rolesOf, type ProcessRole } from './processRoles.js';
import { createRoleGate } from './roleGate.js';
import { enqueueOnly } from './enqueueOnly.js';
import { createLedgerVerification, type LedgerVerification } from '../read-models/ledgerVerification.js';
import { createRiskAssessments, type RiskAssessments } from './riskAssessments.js';
import { openApiKeys, type PlatformApiKeys } from './apiKeys.js';
import type { Redis } from 'ioredis';
import { createBacktests, type Backtests } from './backtests.js';
import { createModels, type Models } from './models.js';
import { createAnalyticsPublication, type AnalyticsPublication } from './analyticsPublication.js';
import { createPortfolios } from './portfolios.js';
import type { Portfolios } from '../adapters/http/httpPlatform.js';
import type { Registry } from 'prom-client';
import type { ProcessRoleStatus, Readiness } from '../adapters/http/httpPlatform.js';
import type { FollowerStats } from '../projections/follower.js';
import { BATCH_PROJECTOR, LIVE_PROJECTION, RECOMPUTE_QUEUE } from '../domain/names.js';
import { installFollowerMetrics } from './metrics/followerMetrics.js';
import { measuredJobQueue } from './metrics/jobMetrics.js';
import { installPipelineMetrics } from './metrics/pipelineMetrics.js';
import { createMetricsRegistry } from './metrics/registry.js';
import { checkReadiness } from './readiness.js';

/** Prometheus metrics of one platform (its own registry), and the hook for followers wired outside this file. */
export interface PlatformTelemetry {
  readonly registry: Registry;
  /** Exports a follower's checkpoint and lag as `follower="name"`; unless `gatesReadiness` is false, /health/ready holds it to the lag budget. */
  follow(name: string, follower: { stats(): FollowerStats }, options?: { readonly gatesReadiness?: boolean }): void;
}

export interface Platform {
  readonly config: Config;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly ledger: Ledger;
  readonly live: LiveStore;
  readonly batch: BatchStore;
  readonly jobs: JobQueue;
  readonly broadcaster: Broadcaster;
  readonly policy: SpeedPolicy;
  readonly liveProjection: LiveProjection;
  readonly batchProjector: BatchProjector;
  /** Publishes the ledger to the bus (cluster profile only). */
  readonly relay: Relay | undefined;
  readonly metrics: IngestMetrics;
  readonly telemetry: PlatformTelemetry;
  /** What /health/ready answers: ledger, projections within their lag budget, the servers behind the adapters. */
  readiness(): Promise<Readiness>;
  processRoles(): ProcessRoleStatus;
  readonly alertEngine: AlertEngine;
  readonly alertFeed: AlertFeed;
  /** The alerts read model (rules, alerts, subscriptions, deliveries). */
  readonly alerts: AlertBook;
  /** Ledger verification in the background, one run at a time, incremental. */
  readonly verification: LedgerVerification;
  readonly commands: PlatformCommands;
  readonly queries: PlatformQueries;
  /** Risk figures recorded as RiskAssessed events: daily through the job queue, and on demand. */
  readonly risk: RiskAssessments;
  /** API keys: issued and revoked as ledger events, checked by hash (what the HTTP layer authenticates with). */
  readonly keys: PlatformApiKeys;
  /** The API's rate-limit counters shared across processes (cluster); undefined: per process. */
  readonly rateLimitRedis: Redis | undefined;
  /** Backtests: requested and recorded as events, run through the job queue. */
  readonly backtests: Backtests;
  /** The correlation matrices and networks: published daily as BatchViewPublished events, and served (the published view where one matches). */
  readonly analytics: AnalyticsPublication;
  /** Portfolios defined by commands, their risk, stress tests and optimisations. */
  readonly portfolios: Portfolios;
  /** Order books: the lake archive with its ledger digests, the live views, replays of the lake. */
  readonly orderBooks: OrderBooks;
  /** Models: trainings through the job queue, aliases, predictions and their scores, schedules for the watched symbols. */
  readonly models: Models;
  /** What this process runs (the `roles` setting). */
  readonly roles: ReadonlySet<ProcessRole>;
  /**
   * Resolves true once this process may run `role` (for a role that runs once: holds its lock,
   * perhaps after standing by while another process held it), false if the platform closed first.
   * The ingest role's caller asks this before running its source.
   */
  holdRole(role: ProcessRole): Promise<boolean>;
  /** Runs a source into the ledger until it ends or `signal` aborts. */
  ingest(source: MarketSource, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export interface PlatformOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Start the projections and the schedules of the configured roles (false for one-shot CLI commands). */
  readonly runProjections?: boolean;
  /**
   * Told when the connection holding the locks of the roles that run once ended: another process
   * may take over what this one held, and this one can take nothing over any more, so it must stop
   * (the CLI exits; an orchestrator restarts it). Default: log it.
   */
  readonly onLocksLost?: (error: Error) => void;
}

export const openPlatform = async (opts: PlatformOptions): Promise<Platform> => {
  const { config, logger } = opts;
  const clock = opts.clock ?? systemClock;
  const ids = createUuidV7Generator(clock);
  const openEngine = batchEngineFactory(config, (line) => logger.debug({ engine: 'spark' }, line));
  const trainers = modelEngines(config);
  const nightlyEngine = analyticsEngine(config, (line) => logger.debug({ engine: 'spark' }, line));
  const adapters = config.profile === 'cluster' ? await openClusterAdapters(config, clock, logger) : await openEmbeddedAdapters(config, clock);
  const { ledger, batch, live, broadcaster, bus, snapshots, rateLimitRedis, locks } = adapters;
  const roles = rolesOf(config.roles);
  const runProjections = opts.runProjections !== false;
  const gate = createRoleGate(locks, logger);
  locks?.onLost(opts.onLocksLost ?? ((e) => logger.error({ err: e }, 'lost the locks of the roles this process runs once; another process may take them over')));
  const registry = createMetricsRegistry();
  const jobs = measuredJobQueue(adapters.jobs, registry);
  /** The queue as `role`'s jobs see it: worked here only where the role runs (a one-shot command works what it enqueues itself). */
  const jobsOf = (role: ProcessRole) => (!runProjections || roles.has(role) ? jobs : enqueueOnly(jobs));
  const policy: SpeedPolicy = { allowedLatenessMs: config.allowedLatenessMs, retentionMs: config.retentionMs };
  const metrics = createIngestMetrics(registry);
  const deps = { ledger, clock, ids };

  const liveProjection = createLiveProjection({
    ledger,
    store: live,
    broadcaster,
    policy,
    onError: (err, action) =>
      action === 'rebuild'
        ? logger.warn({ err }, 'live store lost its state (flushed?); rebuilding the live views from the ledger')
        : logger.error({ err }, 'live projection batch failed; resuming from the live store checkpoint'),
  });
  const batchProjector = createBatchProjector({
    ledger,
    store: batch,
    engine: openEngine(ledger, batch),
    clock,
    ids,
    allowedLatenessMs: config.allowedLatenessMs,
    onError: (e) => logger.error({ err: e }, 'batch pass failed; it will be retried on the next schedule'),
  });
  const alerts = createAlertBook();
  const engineDeps = {
    ledger,
    allowedLatenessMs: config.allowedLatenessMs,
    record: (outputs: Parameters<typeof recordAlerts>[1], origin: CommandOrigin) => recordAlerts(deps, outputs, origin),
    snapshots,
    clock,
    snapshotEveryEvents: config.alertSnapshotEvents,
    snapshotIntervalMs: config.alertSnapshotIntervalMs,
    log: { info: (m: string) => logger.info(m), warn: (m: string, err?: unknown) => logger.warn({ err }, m) },
  };
  // Cluster: a member of the bus consumer group (one per ledger schema), folding the trades of its partitions.
  const alertEngine: AlertEngine =
    bus !== undefined
      ? createPartitionedAlertEngine({ ...engineDeps, bus, group: `alert-engine-${config.postgresSchema}` })
      : config.alertEngineThread === 'worker'
        ? createAlertEngineThread(engineDeps)
        : createAlertEngine(engineDeps);
  const webhooks = createWebhookDispatcher({
    jobs: jobsOf('alerts'),
    book: alerts,
    post: createHttpWebhookPoster({ timeoutMs: config.webhookTimeoutMs, allowedRanges: config.webhookAllowedRanges }),
    record: (attempt) => recordWebhookDelivery(deps, attempt, { actor: 'system:webhooks', correlationId: attempt.alertId, source: 'webhooks' }),
    attempts: config.webhookAttempts,
    backoffMs: config.webhookBackoffMs,
  });
  // The API publishes alerts to its WebSocket clients; the alerts role delivers the webhooks.
  const alertFeed = createAlertFeed({
    ledger,
    book: alerts,
    broadcaster: roles.has('api') ? broadcaster : undefined,
    onMessage: roles.has('alerts') ? (m, isLive) => webhooks.onMessage(m, isLive) : undefined,
  });
  // A one-shot command (recompute) runs the passes it asks for; a serving process once its batch role runs.
  if (!runProjections) processRecomputeJobs(jobs, batchProjector);

  const relay =
    bus === undefined
      ? undefined
      : createRelay({
          ledger,
          bus,
          // One relay checkpoint per ledger: platforms sharing a Kafka keep theirs apart.
          name: `relay-${config.postgresSchema}`,
          onRetry: (err, attempt) => logger.warn({ err, attempt }, 'relay: publishing to the bus failed; retrying'),
        });

  const projections = { relay, liveProjection, batchProjector, alertFeed, alertEngine };
  installPipelineMetrics(registry, { ledger, batch, clock, liveProjection, batchProjector });
  const followers = installFollowerMetrics(registry, ledger);
  const running: RunningProjections | undefined = runProjections
    ? await startProjections(projections, {
        roles,
        gate,
        batchIntervalMs: config.batchIntervalMs,
        registerDefaultRules: () => registerDefaultAlertRules(deps),
        webhooks,
        workRecomputes: () => processRecomputeJobs(jobs, batchProjector),
        follow: followers.follow,
        logger,
      })
    : undefined;
  const commands = createPlatformCommands({ ...deps, jobs, metrics });
  // Answers are cached by the live projection's content version only where it ran here from the start
  // (a standby that takes over later leaves them uncached: the cache could not tell another process's commits).
  const orderBooks = await openOrderBooks({ ...deps, config, broadcaster, logger, snapshots });
  const queries = createPlatformQueries({
    ledger,
    live,
    batch,
    policy,
    committed: running?.running().has('live') === true ? liveProjection : undefined,
    bookImbalance: orderBooks.imbalance,
  });
  const portfolios = createPortfolios({ ...deps, ohlcv: queries.ohlcv });
  const runs = (role: ProcessRole): boolean => runProjections && roles.has(role);
  const risk = createRiskAssessments({
    ...deps,
    jobs: jobsOf('jobs'),
    ohlcv: queries.ohlcv,
    symbols: queries.symbols,
    alsoDaily: portfolios.assessAll,
    onError: (e) => logger.error({ err: e }, 'risk: enqueueing the daily assessment failed'),
  });
  if (runs('jobs')) risk.start();
  const keys = await openApiKeys(deps);
  // Every serving process: one that serves no API still answers /metrics, which needs a key on the cluster profile.
  if (runProjections) keys.start((e) => logger.warn({ err: e }, 'API keys: reading the key stream failed; keeping the keys read before'));
  const backtests = createBacktests({ ...deps, jobs: jobsOf('jobs'), ohlcv: queries.ohlcv });
  const analytics = createAnalyticsPublication({
    ...deps,
    jobs: jobsOf('jobs'),
    snapshots,
    engine: nightlyEngine,
    ohlcv: queries.ohlcv,
    symbols: queries.symbols,
    onError: (e) => logger.error({ err: e }, 'analytics: enqueueing the daily publication failed'),
  });
  if (runs('jobs')) analytics.start();
  // The books are what this process's sources emit: their timers run where ingest does.
  if (runs('ingest')) orderBooks.start();
  const models = await createModels({
    ...deps,
    jobs: jobsOf('jobs'),
    features: queries.features,
    ohlcv: queries.ohlcv,
    ...trainers,
    watched: {
      symbols: config.modelSymbols === '' ? [] : config.modelSymbols.split(','),
      horizons: config.modelHorizons.split(','),
      trainingDays: config.modelTrainingDays,
    },
    onError: (e) => logger.warn({ err: e }, 'models: a scheduled step failed'),
  });
  // The registry refreshes in every process; the training schedules run where the job workers do.
  models.start(runs('jobs'));

  const platform: Platform = {
    config,
    clock,
    ids,
    ledger,
    live,
    batch,
    jobs,
    broadcaster,
    policy,
    liveProjection,
    batchProjector,
    relay,
    metrics,
    telemetry: { registry, follow: followers.follow },
    readiness: () =>
      checkReadiness({
        ledger,
        roles: PROCESS_ROLES.filter((r) => roles.has(r)),
        projections: () => running?.state() ?? 'not-run',
        standby: gate.standby,
        followers: followers.followed,
        maxLag: config.readyMaxLag,
        // Only the servers this process's roles use: a probe of another's would take it out of service for nothing.
        servers: [
          ...(roles.has('api') || roles.has('live') ? [{ name: 'live store', probe: () => live.checkpoint(LIVE_PROJECTION) }] : []),
          ...(roles.has('api') || roles.has('batch') ? [{ name: 'batch store', probe: () => batch.checkpoint(BATCH_PROJECTOR) }] : []),
          ...(roles.has('api') || roles.has('batch') || roles.has('alerts') || roles.has('jobs') ? [{ name: 'job queue', probe: () => jobs.counts(RECOMPUTE_QUEUE) }] : []),
        ],
      }),
    processRoles: () => ({ roles: PROCESS_ROLES.filter((r) => roles.has(r)), standby: gate.standby(), running: [...(running?.running() ?? [])] }),
    alertEngine,
    alertFeed,
    alerts,
    verification: createLedgerVerification({ ledger, clock }),
    commands,
    queries,
    risk,
    keys,
    rateLimitRedis,
    backtests,
    analytics,
    portfolios,
    orderBooks,
    models,
    roles,
    holdRole: async (role) => (await gate.tryHold(role)) || gate.waitToHold(role),
    ingest: (source, signal) => ingestSource(source, signal, { commands, metrics, books: orderBooks.consume }),
    async close() {
      risk.stop();
      await orderBooks.close();
      analytics.stop();
      models.stop();
      keys.stop();
      rateLimitRedis?.disconnect();
      gate.stopWaiting();
      await running?.stop();
      // Running jobs finish first (BullMQ's close waits for them), then the locks go: nothing this process guards is still writing.
      await jobs.close();
      await gate.release();
      await broadcaster.close();
      await live.close();
      await batch.close();
      await snapshots.close();
      await bus?.close();
      await ledger.close();
    },
  };
  return platform;
};
