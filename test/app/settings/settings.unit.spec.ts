/**
 * The settings table itself: defaults that its own kinds accept and that survive being written
 * as flag text, names that do not collide, every setting name, flag and environment variable of
 * earlier releases still there, and the README's tables equal to what the table generates.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTING_GROUPS, SETTING_LIST, SETTINGS } from '../../../src/app/settings/settings.js';
import { SETTINGS_BLOCK_END, withSettingsTables } from '../../../src/app/settings/settingsMarkdown.js';
import { repoRoot } from '../../support/sharedData.js';

/** Released before the settings table existed: [setting, flag, env]. Removing or renaming any breaks users. */
const RELEASED: ReadonlyArray<readonly [string, string, string | undefined]> = [
  ['profile', 'profile', 'TICKVAULT_PROFILE'], ['host', 'host', 'HOST'], ['port', 'port', 'PORT'],
  ['dataDir', 'data-dir', 'TICKVAULT_DATA_DIR'], ['source', 'source', 'TICKVAULT_SOURCE'], ['files', 'files', undefined],
  ['speed', 'speed', 'TICKVAULT_SPEED'], ['symbols', 'symbols', 'TICKVAULT_SYMBOLS'], ['seed', 'seed', 'TICKVAULT_SEED'],
  ['tradesPerSecond', 'trades-per-second', 'TICKVAULT_TRADES_PER_SECOND'], ['allowedLatenessMs', 'allowed-lateness-ms', 'TICKVAULT_ALLOWED_LATENESS_MS'],
  ['retentionMs', 'retention-ms', 'TICKVAULT_RETENTION_MS'], ['batchIntervalMs', 'batch-interval-ms', 'TICKVAULT_BATCH_INTERVAL_MS'],
  ['binanceWsUrl', 'binance-ws-url', 'TICKVAULT_BINANCE_WS_URL'], ['binanceRestUrl', 'binance-rest-url', 'TICKVAULT_BINANCE_REST_URL'],
  ['coinbaseWsUrl', 'coinbase-ws-url', 'TICKVAULT_COINBASE_WS_URL'], ['coinbaseRestUrl', 'coinbase-rest-url', 'TICKVAULT_COINBASE_REST_URL'],
  ['coingeckoUrl', 'coingecko-url', 'TICKVAULT_COINGECKO_URL'], ['coingeckoPerMinute', 'coingecko-per-minute', 'TICKVAULT_COINGECKO_PER_MINUTE'],
  ['coingeckoIntervalMs', 'coingecko-interval-ms', 'TICKVAULT_COINGECKO_INTERVAL_MS'], ['sentimentFeed', 'sentiment-feed', 'TICKVAULT_SENTIMENT_FEED'],
  ['webhookAttempts', 'webhook-attempts', 'TICKVAULT_WEBHOOK_ATTEMPTS'], ['webhookBackoffMs', 'webhook-backoff-ms', 'TICKVAULT_WEBHOOK_BACKOFF_MS'],
  ['webhookTimeoutMs', 'webhook-timeout-ms', 'TICKVAULT_WEBHOOK_TIMEOUT_MS'], ['alertSnapshotEvents', 'alert-snapshot-events', 'TICKVAULT_ALERT_SNAPSHOT_EVENTS'],
  ['alertSnapshotIntervalMs', 'alert-snapshot-interval-ms', 'TICKVAULT_ALERT_SNAPSHOT_INTERVAL_MS'], ['logLevel', 'log-level', 'LOG_LEVEL'],
  ['stackDir', 'stack-dir', 'TICKVAULT_STACK_DIR'], ['postgresUrl', 'postgres-url', 'TICKVAULT_POSTGRES_URL'],
  ['postgresSchema', 'postgres-schema', 'TICKVAULT_POSTGRES_SCHEMA'], ['redisUrl', 'redis-url', 'TICKVAULT_REDIS_URL'],
  ['redisPrefix', 'redis-prefix', 'TICKVAULT_REDIS_PREFIX'], ['kafkaBrokers', 'kafka-brokers', 'TICKVAULT_KAFKA_BROKERS'],
  ['kafkaTopicPrefix', 'kafka-topic-prefix', 'TICKVAULT_KAFKA_TOPIC_PREFIX'], ['hbaseUrl', 'hbase-url', 'TICKVAULT_HBASE_URL'],
  ['hbaseTablePrefix', 'hbase-table-prefix', 'TICKVAULT_HBASE_TABLE_PREFIX'], ['batchEngine', 'batch-engine', 'TICKVAULT_BATCH_ENGINE'],
];

describe('the settings table', () => {
  it.each(SETTING_LIST)('%s: its default is valid, and its flag text reads back as it', (_name, spec) => {
    expect(spec.kind.accepts(spec.default)).toBe(true);
    expect(spec.kind.fromText(spec.kind.toText(spec.default as never))).toEqual(spec.default);
  });

  it('gives every setting its own flag and environment variable', () => {
    const flags = SETTING_LIST.map(([, s]) => s.flag);
    const envs = SETTING_LIST.flatMap(([, s]) => (s.env === undefined ? [] : [s.env]));
    expect(new Set(flags).size).toBe(flags.length);
    expect(new Set(envs).size).toBe(envs.length);
  });

  it.each(RELEASED)('keeps the released setting %s, flag --%s and variable %s', (name, flag, env) => {
    const spec = (SETTINGS as Record<string, { flag: string; env?: string }>)[name];
    expect(spec).toBeDefined();
    expect(spec!.flag).toBe(flag);
    expect(spec!.env).toBe(env);
  });
});

describe("the README's settings tables", () => {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

  it('are what the settings table generates (regenerate: node scripts/readme-settings.mjs)', () => {
    expect(readme).toBe(withSettingsTables(readme));
  });

  it('cover every group of settings once', () => {
    const groups = [...readme.matchAll(/<!-- settings table: ([a-z, ]+) \(/g)].flatMap((m) => m[1]!.split(',').map((g) => g.trim()));
    expect([...groups].sort()).toEqual(Object.keys(SETTING_GROUPS).sort());
    const starts = [...readme.matchAll(/<!-- settings table: /g)].length;
    expect(readme.split(SETTINGS_BLOCK_END).length - 1).toBe(starts);
  });
});
