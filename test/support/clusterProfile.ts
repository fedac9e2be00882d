/**
 * Settings that run a platform on the cluster profile against the real stack, isolated from
 * every other test: a ledger schema, a Redis prefix and HBase tables of its own (the relay's
 * checkpoint is named after the ledger schema, so it is its own too). Undefined (with the reason
 * on `missing`) when the stack is not up; under CI=true that is a failure, as requireStack says.
 */
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { deleteByPrefix } from '../../src/adapters/redis/redisClient.js';
import type { Config } from '../../src/app/config.js';
import { uniqueName } from '../contracts/polling.js';
import { dropHBaseTables } from './hbaseTables.js';
import { requireStack } from './stack.js';

const postgres = requireStack('postgres');
const redis = requireStack('redis');
const kafka = requireStack('kafka');
const hbase = requireStack('hbase');

/** The batch-view tables the HBase batch store creates under a prefix. */
const HBASE_TABLES = ['ohlcv', 'views', 'checkpoints'];

export const clusterStack = {
  skip: postgres.skip || redis.skip || kafka.skip || hbase.skip,
  /** Fresh cluster settings; `redisDb` picks a Redis logical database (a test that flushes uses its own). */
  config: (over: { redisDb?: number } = {}): Partial<Config> => {
    const name = uniqueName('tv').replace(/-/g, '_');
    const redisUrl = redis.endpoint().url.replace(/\/\d*$/, '') + (over.redisDb === undefined ? '' : `/${over.redisDb}`);
    return {
      profile: 'cluster',
      postgresUrl: postgres.endpoint().url,
      postgresSchema: name,
      redisUrl,
      redisPrefix: `${name}:`,
      kafkaBrokers: kafka.endpoint().url,
      // Topics of its own: consumer groups that start at the oldest message see this test's events only.
      kafkaTopicPrefix: `${name}.`,
      hbaseUrl: hbase.endpoint().url,
      hbaseTablePrefix: `${name}_`,
    };
  },
};

/** Removes what a cluster-profile test left on the shared servers: its ledger schema, Redis keys, HBase tables and Kafka topics. */
export const dropClusterState = async (settings: Partial<Config>): Promise<void> => {
  const dropSchema = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: settings.postgresUrl });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${settings.postgresSchema}" CASCADE`);
    } finally {
      await client.end();
    }
  };
  const deleteKeys = async (): Promise<void> => {
    const redisClient = new Redis(settings.redisUrl!);
    try {
      await deleteByPrefix(redisClient, settings.redisPrefix!);
    } finally {
      redisClient.disconnect();
    }
  };
  // Each server's part at once: they share nothing, and HBase's and Kafka's take seconds each.
  await Promise.all([
    dropSchema(),
    deleteKeys(),
    dropHBaseTables(settings.hbaseUrl!, HBASE_TABLES.map((table) => `${settings.hbaseTablePrefix}${table}`)),
    settings.kafkaTopicPrefix ? deleteTopicsByPrefix(settings.kafkaBrokers!, settings.kafkaTopicPrefix) : undefined,
  ]);
};

/** Deletes the Kafka topics a test created under its own prefix. */
export const deleteTopicsByPrefix = async (brokers: string, prefix: string): Promise<void> => {
  if (prefix === '') throw new Error('refusing to delete Kafka topics without a prefix');
  const admin = new Kafka({ clientId: 'tv-test-cleanup', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const ours = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (ours.length > 0) await admin.deleteTopics({ topics: ours });
  } finally {
    await admin.disconnect();
  }
};
