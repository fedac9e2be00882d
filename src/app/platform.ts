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
import { issueCorrection, type IssueCorrectionResult } from '../commands/issueCorrection.js';
import { recordObservations, type RecordResult } from '../commands/recordObservations.js';
import { requestRecompute } from '../commands/requestRecompute.js';
import { registerAlertRule } from '../commands/registerAlertRule.js';
import { retireAlertRule } from '../commands/retireAlertRule.js';
import { recordAlerts, ALERT_ENGINE_ACTOR } from '../commands/recordAlerts.js';
import { createAlertSubscription } from '../commands/createAlertSubscription.js';
import { recordWebhookDelivery } from '../commands/recordWebhookDelivery.js';
import { createHttpWebhookPoster } from '../adapters/webhooks/httpWebhookPoster.js';
import { createAlertEngine, type AlertEngine } from '../projections/alerts/alertEngine.js';
import { createPartitionedAlertEngine } from '../projections/alerts/partitionedAlertEngine.js';
import { createAlertFeed, type AlertFeed } from '../projections/alerts/alertFeed.js';
import { DEFAULT_ALERT_RULES } from '../projections/alerts/defaultRules.js';
import { createWebhookDispatcher } from '../projections/alerts/webhookDispatcher.js';
import { createAlertBook } from '../read-models/alertBook.js';
import type { CommandOrigin } from '../commands/commandContext.js';
import type { CandleView } from '../domain/folds/candle.js';
import type { SpeedPolicy } from '../domain/folds/series.js';
import type { AlertBook, BatchStore, Broadcaster, Clock, IdGenerator, JobQueue, Ledger, LiveStore, MarketSource, VerifyResult } from '../domain/ports.js';
import { createBatchProjector, type BatchProjector } from '../projections/batch/batchProjector.js';
import { createLiveProjection, type LiveProjection } from '../projections/live/liveProjection.js';
import { queryOhlcv, type OhlcvAnswer, type OhlcvQuery } from '../read-models/ohlcv.js';
import { queryRealtime, type RealtimeAnswer } from '../read-models/realtime.js';
import { replayAsOf, type ReplayAnswer } from '../read-models/complianceReplay.js';
import type { Config } from './config.js';
import { createRelay, type Relay } from '../projections/relay/relay.js';
import { openClusterAdapters } from './profiles/cluster.js';
import { openEmbeddedAdapters } from './profiles/embedded.js';
import { createAnswerCache } from './answerCache.js';
import { batchEngineFactory } from './profiles/batchEngine.js';
import { createIngestMetrics, type IngestMetrics } from './ingestMetrics.js';
import { RECOMPUTE_QUEUE } from '../domain/names.js';

/** Symbols whose realtime answer is kept between live commits. */
const REALTIME_CACHE_SYMBOLS = 2_000;
/** Distinct OHLCV queries (symbol, interval, range, exchange) whose merged candles are kept; each holds up to 10,000 candles. */
const OHLCV_CACHE_QUERIES = 128;

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
  readonly alertEngine: AlertEngine;
  readonly alertFeed: AlertFeed;
  /** The alerts read model (rules, alerts, subscriptions, deliveries). */
  readonly alerts: AlertBook;
  readonly commands: {
    registerAlertRule(input: unknown, origin: CommandOrigin): Promise<{ ruleId: string; position: number; created: boolean }>;
    retireAlertRule(ruleId: string, reason: string, origin: CommandOrigin): Promise<{ position: number }>;
    createAlertSubscription(input: unknown, origin: CommandOrigin): Promise<{ subscriptionId: string; position: number }>;
    recordObservations(cmd: Parameters<typeof recordObservations>[1]): Promise<RecordResult>;
    issueCorrection(input: unknown, origin: CommandOrigin): Promise<IssueCorrectionResult>;
    requestRecompute(input: unknown, origin: CommandOrigin): Promise<{ requestId: string; position: number }>;
  };
  readonly queries: {
    ohlcv(q: OhlcvQuery): Promise<OhlcvAnswer>;
    realtime(symbol: string): Promise<RealtimeAnswer>;
    /** The event-time `day` (default asOf's own) as known at `asOf`, beside what is true now. */
    replay(symbol: string, asOf: number, day?: string): Promise<ReplayAnswer>;
    verify(): Promise<VerifyResult>;
    symbols(): Promise<string[]>;
  };
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
  const adapters = config.profile === 'cluster' ? await openClusterAdapters(config, clock, logger) : await openEmbeddedAdapters(config, clock);
  const { ledger, batch, live, jobs, broadcaster, bus, snapshots } = adapters;
  const policy: SpeedPolicy = { allowedLatenessMs: config.allowedLatenessMs, retentionMs: config.retentionMs };
  const metrics = createIngestMetrics();
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
    bus === undefined ? createAlertEngine(engineDeps) : createPartitionedAlertEngine({ ...engineDeps, bus, group: `alert-engine-${config.postgresSchema}` });
  const webhooks = createWebhookDispatcher({
    jobs,
    book: alerts,
    post: createHttpWebhookPoster({ timeoutMs: config.webhookTimeoutMs }),
    record: (attempt) => recordWebhookDelivery(deps, attempt, { actor: 'system:webhooks', correlationId: attempt.alertId, source: 'webhooks' }),
    attempts: config.webhookAttempts,
    backoffMs: config.webhookBackoffMs,
  });
  const alertFeed = createAlertFeed({ ledger, book: alerts, broadcaster, onMessage: (m, isLive) => webhooks.onMessage(m, isLive) });
  // The queue makes a recompute happen now; the ledger makes sure it happens at all.
  jobs.process(RECOMPUTE_QUEUE, async (payload) => {
    const { position } = payload as { position: number };
    await batchProjector.runThrough(position);
  });

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

  if (opts.runProjections !== false) {
    await relay?.start();
    await liveProjection.start();
    batchProjector.start(config.batchIntervalMs);
    for (const rule of DEFAULT_ALERT_RULES) {
      await registerAlertRule(deps, rule, { actor: ALERT_ENGINE_ACTOR, correlationId: 'default-alert-rules', source: 'defaults' });
    }
    await alertFeed.start();
    await alertEngine.start();
    alertFeed.caughtUp.then(() => webhooks.enqueuePending()).catch((e: unknown) => logger.error({ err: e }, 'alert feed failed'));
    alertEngine.caughtUp.catch((e: unknown) => logger.error({ err: e }, 'alert engine failed'));
  }

  const realtimeAnswers = createAnswerCache<RealtimeAnswer>(REALTIME_CACHE_SYMBOLS);
  const ohlcvCandles = createAnswerCache<CandleView[]>(OHLCV_CACHE_QUERIES);

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
    alertEngine,
    alertFeed,
    alerts,
    commands: {
      registerAlertRule: (input, origin) => registerAlertRule(deps, input, origin),
      retireAlertRule: (ruleId, reason, origin) => retireAlertRule(deps, ruleId, reason, origin),
      createAlertSubscription: (input, origin) => createAlertSubscription(deps, input, origin),
      recordObservations: async (cmd) => {
        const result = await recordObservations(deps, cmd);
        metrics.recorded(cmd.origin.source, result);
        return result;
      },
      issueCorrection: async (input, origin) => {
        const result = await issueCorrection(deps, input, origin);
        await jobs.enqueue(RECOMPUTE_QUEUE, result.recomputeRequestId, { position: result.position + 1 }, { attempts: 5, backoffMs: 500 });
        return result;
      },
      requestRecompute: async (input, origin) => {
        const result = await requestRecompute(deps, input, origin);
        await jobs.enqueue(RECOMPUTE_QUEUE, result.requestId, { position: result.position }, { attempts: 5, backoffMs: 500 });
        return result;
      },
    },
    queries: {
      ohlcv: (q) =>
        queryOhlcv({ batch, live }, q, ohlcvCandles, opts.runProjections === false ? undefined : { checkpoint: () => liveProjection.stats().checkpoint, coverage: liveProjection.coverage }),
      // Cached only where this process's own projection tells when the live store changes.
      realtime: (symbol) =>
        opts.runProjections === false
          ? queryRealtime(live, symbol, policy)
          : realtimeAnswers(symbol, liveProjection.stats().checkpoint, () => queryRealtime(live, symbol, policy)),
      replay: (symbol, asOf, day) => replayAsOf(ledger, symbol, asOf, day),
      verify: () => ledger.verify(),
      symbols: async () => {
        const [l, b] = await Promise.all([live.symbols(), batch.allMeta('ohlcv')]);
        return [...new Set([...l, ...b.map((m) => m.symbol)])].sort();
      },
    },
    async ingest(source, signal) {
      const actor = `source:${source.name}`;
      let batchNo = 0;
      metrics.watch(source);
      await source.run(async (b) => {
        await platform.commands.recordObservations({
          origin: { actor, correlationId: `${source.name}-${batchNo++}`, source: b.source },
          items: b.items,
        });
      }, signal);
    },
    async close() {
      await relay?.stop();
      await alertEngine.stop();
      await alertFeed.stop();
      await liveProjection.stop();
      await batchProjector.stop();
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
