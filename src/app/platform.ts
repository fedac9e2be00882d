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
import { batchEngineFactory } from './profiles/batchEngine.js';
import { modelEngines } from './profiles/modelEngines.js';
import { createIngestMetrics, type IngestMetrics } from './ingestMetrics.js';
import { ingestSource } from './ingestSource.js';
import { openOrderBooks, type OrderBooks } from './orderBooks.js';
import { createPlatformCommands, type PlatformCommands } from './platformCommands.js';
import { createPlatformQueries, type PlatformQueries } from './platformQueries.js';
import { startProjections, stopProjections } from './projectionLifecycle.js';
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
import type { Readiness } from '../adapters/http/httpPlatform.js';
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
  /** The correlation matrices and networks, published daily as BatchViewPublished events. */
  readonly analytics: AnalyticsPublication;
  /** Portfolios defined by commands, their risk, stress tests and optimisations. */
  readonly portfolios: Portfolios;
  /** Order books: the lake archive with its ledger digests, the live views, replays of the lake. */
  readonly orderBooks: OrderBooks;
  /** Models: trainings through the job queue, aliases, predictions and their scores, schedules for the watched symbols. */
  readonly models: Models;
  /** Runs a source into the ledger until it ends or `signal` aborts. */
  ingest(source: MarketSource, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export interface PlatformOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Start the projections and the batch schedule (false for one-shot CLI commands). */
  readonly runProjections?: boolean;
}

export const openPlatform = async (opts: PlatformOptions): Promise<Platform> => {
  const { config, logger } = opts;
  const clock = opts.clock ?? systemClock;
  const ids = createUuidV7Generator(clock);
  const openEngine = batchEngineFactory(config, (line) => logger.debug({ engine: 'spark' }, line));
  const trainers = modelEngines(config);
  const adapters = config.profile === 'cluster' ? await openClusterAdapters(config, clock, logger) : await openEmbeddedAdapters(config, clock);
  const { ledger, batch, live, broadcaster, bus, snapshots, rateLimitRedis } = adapters;
  const registry = createMetricsRegistry();
  const jobs = measuredJobQueue(adapters.jobs, registry);
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
    jobs,
    book: alerts,
    post: createHttpWebhookPoster({ timeoutMs: config.webhookTimeoutMs, allowedRanges: config.webhookAllowedRanges }),
    record: (attempt) => recordWebhookDelivery(deps, attempt, { actor: 'system:webhooks', correlationId: attempt.alertId, source: 'webhooks' }),
    attempts: config.webhookAttempts,
    backoffMs: config.webhookBackoffMs,
  });
  const alertFeed = createAlertFeed({ ledger, book: alerts, broadcaster, onMessage: (m, isLive) => webhooks.onMessage(m, isLive) });
  processRecomputeJobs(jobs, batchProjector);

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
  const runProjections = opts.runProjections !== false;
  installPipelineMetrics(registry, { ledger, batch, clock, liveProjection, batchProjector });
  const followers = installFollowerMetrics(registry, ledger);
  if (runProjections) {
    if (relay !== undefined) followers.follow('relay', relay);
    followers.follow('live', liveProjection);
    // Runs on a schedule: its lag grows between passes by design, so it does not gate readiness.
    followers.follow('batch', batchProjector, { gatesReadiness: false });
    followers.follow('alert_feed', alertFeed);
    followers.follow('alert_engine', alertEngine);
  }
  let projectionState: 'not-run' | 'starting' | 'started' = runProjections ? 'starting' : 'not-run';
  if (runProjections) {
    await startProjections(projections, {
      batchIntervalMs: config.batchIntervalMs,
      registerDefaultRules: () => registerDefaultAlertRules(deps),
      webhooks,
      logger,
    });
    projectionState = 'started';
  }
  const commands = createPlatformCommands({ ...deps, jobs, metrics });
  // Answers are cached by the live projection's checkpoint only where it runs in this process.
  const queries = createPlatformQueries({ ledger, live, batch, policy, committed: runProjections ? liveProjection : undefined });
  const portfolios = createPortfolios({ ...deps, ohlcv: queries.ohlcv });
  const risk = createRiskAssessments({
    ...deps,
    jobs,
    ohlcv: queries.ohlcv,
    symbols: queries.symbols,
    alsoDaily: portfolios.assessAll,
    onError: (e) => logger.error({ err: e }, 'risk: enqueueing the daily assessment failed'),
  });
  if (runProjections) risk.start();
  const keys = await openApiKeys(deps);
  if (runProjections) keys.start((e) => logger.warn({ err: e }, 'API keys: reading the key stream failed; keeping the keys read before'));
  const backtests = createBacktests({ ...deps, jobs, ohlcv: queries.ohlcv });
  const analytics = createAnalyticsPublication({
    ...deps,
    jobs,
    ohlcv: queries.ohlcv,
    symbols: queries.symbols,
    onError: (e) => logger.error({ err: e }, 'analytics: enqueueing the daily publication failed'),
  });
  if (runProjections) analytics.start();
  const orderBooks = await openOrderBooks({ ...deps, config, broadcaster, logger });
  if (runProjections) orderBooks.start();
  const models = await createModels({
    ...deps,
    jobs,
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
  models.start(runProjections);

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
        projections: () => projectionState,
        followers: followers.followed,
        maxLag: config.readyMaxLag,
        servers: [
          { name: 'live store', probe: () => live.checkpoint(LIVE_PROJECTION) },
          { name: 'batch store', probe: () => batch.checkpoint(BATCH_PROJECTOR) },
          { name: 'job queue', probe: () => jobs.counts(RECOMPUTE_QUEUE) },
        ],
      }),
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
    ingest: (source, signal) => ingestSource(source, signal, { commands, metrics, books: orderBooks.consume }),
    async close() {
      risk.stop();
      await orderBooks.close();
      analytics.stop();
      models.stop();
      keys.stop();
      rateLimitRedis?.disconnect();
      await stopProjections(projections);
      await jobs.close();
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
