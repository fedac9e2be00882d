/** Cluster-profile settings for a benchmark run: the local stack's servers, state of its own under `name`. */
import { resolveServerUrl } from '../../src/app/profiles/stackEndpoints.js';
import { DEFAULT_CONFIG, type Config } from '../../src/app/config.js';

export const benchClusterConfig = (name: string, dataDir: string): Config => {
  const stackDir = process.env['TICKVAULT_STACK_DIR'] ?? DEFAULT_CONFIG.stackDir;
  return {
    ...DEFAULT_CONFIG,
    profile: 'cluster',
    dataDir,
    source: 'none',
    batchIntervalMs: 3_600_000,
    allowedLatenessMs: 60_000,
    stackDir,
    postgresUrl: resolveServerUrl('', 'postgres', stackDir, { flag: 'postgres-url', env: 'TICKVAULT_POSTGRES_URL' }),
    redisUrl: resolveServerUrl('', 'redis', stackDir, { flag: 'redis-url', env: 'TICKVAULT_REDIS_URL' }),
    hbaseUrl: resolveServerUrl('', 'hbase', stackDir, { flag: 'hbase-url', env: 'TICKVAULT_HBASE_URL' }),
    kafkaBrokers: resolveServerUrl('', 'kafka', stackDir, { flag: 'kafka-brokers', env: 'TICKVAULT_KAFKA_BROKERS' }),
    postgresSchema: name,
    redisPrefix: `${name}:`,
    hbaseTablePrefix: `${name}_`,
    kafkaTopicPrefix: `${name}.`,
  };
};
