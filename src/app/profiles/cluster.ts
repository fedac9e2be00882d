/**
 * The cluster profile: PostgreSQL ledger, Redis live store and pub/sub fan-out, BullMQ jobs,
 * HBase batch views over its REST gateway, Kafka as the bus the relay publishes to, and PostgreSQL
 * advisory locks for the roles that run in one process at a time.
 */
import type { Logger } from 'pino';
import { openHBaseBatchStore } from '../../adapters/batch-store/hbase/hbaseBatchStore.js';
import { withMetaCache } from './batchMetaCache.js';
import { createKafkaBus } from '../../adapters/bus/kafka/kafkaBus.js';
import { createRedisBroadcaster } from '../../adapters/broadcast/redis/redisBroadcaster.js';
import { createBullmqJobQueue } from '../../adapters/jobs/bullmq/bullmqJobQueue.js';
import { openPostgresLocks } from '../../adapters/locks/postgres/postgresLocks.js';
import { openPostgresLedger } from '../../adapters/ledger/postgres/postgresLedger.js';
import { openRedis } from '../../adapters/redis/redisClient.js';
import { createRedisLiveStore } from '../../adapters/live-store/redis/redisLiveStore.js';
import { openPostgresSnapshotStore } from '../../adapters/snapshot-store/postgres/postgresSnapshotStore.js';
import type { Clock, ExclusiveLocks, Ledger } from '../../domain/ports.js';
import type { Config } from '../config.js';
import type { AdapterSet } from './adapterSet.js';
import { ledgerSignerOf } from './ledgerSigner.js';
import { resolveServerUrl } from './stackEndpoints.js';

/** How soon a batch view written by another process shows in this one's OHLCV answers. */
const BATCH_META_MAX_AGE_MS = 1_000;

export const postgresUrlOf = (config: Config): string => resolveServerUrl(config.postgresUrl, 'postgres', config.stackDir, { flag: 'postgres-url', env: 'TICKVAULT_POSTGRES_URL' });

export const openClusterLedger = (config: Config, clock: Clock): Promise<Ledger> => openPostgresLedger({ url: postgresUrlOf(config), schema: config.postgresSchema, clock, signer: ledgerSignerOf(config) });

/**
 * A run-once role's lock is named after what the role owns: the ledger's sequencer (ingest), the
 * live store's checkpoint (live: its Redis prefix), the batch store's rows (batch: its HBase
 * tables) and the relay's checkpoint on the bus (relay: its topics). Two deployments that share a
 * ledger but keep their own views (a fresh replay beside the original, a staging read side) then
 * each run their own projections, while two processes of one deployment still never do.
 */
const ownedResources = (config: Config): Readonly<Record<string, string>> => ({
  ingest: 'ingest',
  live: `live:${config.redisPrefix}`,
  batch: `batch:${config.hbaseTablePrefix}`,
  relay: `relay:${config.kafkaTopicPrefix}`,
});

const lockingWhatRolesOwn = (locks: ExclusiveLocks, config: Config): ExclusiveLocks => {
  const owned = ownedResources(config);
  return { tryAcquire: (role) => locks.tryAcquire(owned[role] ?? role), onLost: (h) => locks.onLost(h), close: () => locks.close() };
};

export const openClusterAdapters = async (config: Config, clock: Clock, logger: Logger): Promise<AdapterSet> => {
  const redisUrl = resolveServerUrl(config.redisUrl, 'redis', config.stackDir, { flag: 'redis-url', env: 'TICKVAULT_REDIS_URL' });
  const hbaseUrl = resolveServerUrl(config.hbaseUrl, 'hbase', config.stackDir, { flag: 'hbase-url', env: 'TICKVAULT_HBASE_URL' });
  const brokers = resolveServerUrl(config.kafkaBrokers, 'kafka', config.stackDir, { flag: 'kafka-brokers', env: 'TICKVAULT_KAFKA_BROKERS' });
  const ledger = await openClusterLedger(config, clock);
  return {
    ledger,
    batch: withMetaCache(await openHBaseBatchStore({ url: hbaseUrl, tablePrefix: config.hbaseTablePrefix }), { maxAgeMs: BATCH_META_MAX_AGE_MS, now: () => clock.now() }),
    bus: await createKafkaBus({ brokers: brokers.split(',').map((b) => b.trim()), topicPrefix: config.kafkaTopicPrefix }),
    live: createRedisLiveStore({ url: redisUrl, prefix: config.redisPrefix, windowTtlSeconds: Math.ceil(config.retentionMs / 1000) }),
    jobs: createBullmqJobQueue({ url: redisUrl, prefix: `${config.redisPrefix}jobs`, onError: (err) => logger.warn({ err }, 'job queue error') }),
    broadcaster: createRedisBroadcaster({ url: redisUrl, prefix: config.redisPrefix, onError: (err) => logger.warn({ err }, 'broadcast error') }),
    // Beside the ledger, in its schema: the snapshot names ledger positions of that ledger.
    snapshots: await openPostgresSnapshotStore({ url: postgresUrlOf(config), schema: config.postgresSchema }),
    rateLimitRedis: openRedis({ url: redisUrl, name: 'tickvault-rate-limit' }),
    // Beside the ledger too, scoped by its schema; each run-once role's lock names what that role owns (ownedResources).
    locks: lockingWhatRolesOwn(await openPostgresLocks({ url: postgresUrlOf(config), scope: config.postgresSchema }), config),
  };
};
