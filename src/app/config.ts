/**
 * Configuration: defaults < config file (--config / TICKVAULT_CONFIG, JSON) < environment < flags.
 * Everything is validated; an invalid setting stops start-up with a message naming the setting.
 */
import * as t from 'io-ts';
import { readFileSync } from 'node:fs';
import { InvalidInputError } from '../domain/errors.js';
import { MarketSymbolCodec, validate } from '../domain/validation.js';

const Port = new t.Type<number, number, unknown>(
  'a port number 0-65535',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0 && u <= 65535,
  (u, c) => (typeof u === 'number' && Number.isInteger(u) && u >= 0 && u <= 65535 ? t.success(u) : t.failure(u, c)),
  t.identity,
);
const PositiveInt = new t.Type<number, number, unknown>(
  'a positive integer',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u > 0,
  (u, c) => (typeof u === 'number' && Number.isInteger(u) && u > 0 ? t.success(u) : t.failure(u, c)),
  t.identity,
);
const NonNegative = new t.Type<number, number, unknown>(
  'a number ≥ 0',
  (u): u is number => typeof u === 'number' && u >= 0,
  (u, c) => (typeof u === 'number' && Number.isFinite(u) && u >= 0 ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** A connection URL with one of `schemes`, or '' for "the local stack's, from .stack/endpoints.json". */
const UrlOrStack = (schemes: readonly string[]) =>
  new t.Type<string, string, unknown>(
    `'' or a ${schemes.join('/')} URL`,
    (u): u is string => typeof u === 'string',
    (u, c) => (typeof u === 'string' && (u === '' || schemes.some((s) => u.startsWith(`${s}://`))) ? t.success(u) : t.failure(u, c)),
    t.identity,
  );
/** Kafka bootstrap servers, `host:port[,host:port...]`, or '' for the local stack's. */
const BrokersOrStack = new t.Type<string, string, unknown>(
  "'' or host:port[,host:port...]",
  (u): u is string => typeof u === 'string',
  (u, c) => (typeof u === 'string' && (u === '' || u.split(',').every((b) => /^[A-Za-z0-9.-]+:\d{1,5}$/.test(b.trim()))) ? t.success(u) : t.failure(u, c)),
  t.identity,
);
/** '' or a Kafka topic-name prefix: letters, digits, '.', '_', '-'. */
const TopicPrefix = new t.Type<string, string, unknown>(
  "'' or letters, digits, '.', '_' and '-' (at most 100)",
  (u): u is string => typeof u === 'string',
  (u, c) => (typeof u === 'string' && /^[A-Za-z0-9._-]{0,100}$/.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);
const Identifier = new t.Type<string, string, unknown>(
  'lower-case letters, digits and _ (starting with a letter or _)',
  (u): u is string => typeof u === 'string',
  (u, c) => (typeof u === 'string' && /^[a-z_][a-z0-9_]{0,62}$/.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);
/** The sources `--source` may name, several at once as a comma-separated list. */
export const SOURCE_NAMES = ['simulator', 'replay', 'none', 'binance', 'coinbase', 'coingecko', 'sentiment'] as const;
const isSourceList = (u: unknown): u is string =>
  typeof u === 'string' && u.split(',').every((s) => (SOURCE_NAMES as readonly string[]).includes(s.trim()));
const SourceList = new t.Type<string, string, unknown>(
  `one or more of ${SOURCE_NAMES.join(', ')}, comma-separated`,
  isSourceList,
  (u, c) => (isSourceList(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);
/** Simulator: how many symbols; live sources: which ones (BASE-QUOTE), or every USDT pair on Binance. */
const Symbols = t.union([PositiveInt, t.literal('all-usdt'), t.array(MarketSymbolCodec)]);
const Url = new t.Type<string, string, unknown>(
  'an http(s) or ws(s) URL',
  (u): u is string => typeof u === 'string' && /^(https?|wss?):\/\/[^\s]+$/.test(u),
  (u, c) => (typeof u === 'string' && /^(https?|wss?):\/\/[^\s]+$/.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

export const Config = t.type({
  profile: t.keyof({ embedded: null, cluster: null }),
  host: t.string,
  port: Port,
  dataDir: t.string,
  source: SourceList,
  /** Files for `--source replay`. */
  files: t.array(t.string),
  /** Replay pace: 0 = as fast as possible, N = N× real time. */
  speed: NonNegative,
  symbols: Symbols,
  seed: t.number,
  /** Simulator rate in real time. */
  tradesPerSecond: PositiveInt,
  allowedLatenessMs: NonNegative,
  retentionMs: PositiveInt,
  batchIntervalMs: PositiveInt,
  binanceWsUrl: Url,
  binanceRestUrl: Url,
  coinbaseWsUrl: Url,
  coinbaseRestUrl: Url,
  coingeckoUrl: Url,
  /** CoinGecko requests per minute (its public limit is about 30; a paid key allows more). */
  coingeckoPerMinute: PositiveInt,
  coingeckoIntervalMs: PositiveInt,
  /** Sentiment posts: a JSON-lines file path or an http(s) URL; empty = none. */
  sentimentFeed: t.string,
  /** Webhook deliveries: total tries, first retry delay (doubled each retry), per-request timeout. */
  webhookAttempts: PositiveInt,
  webhookBackoffMs: PositiveInt,
  webhookTimeoutMs: PositiveInt,
  /** The alert engine saves its detectors' state after this many ledger events or this long, whichever comes first. */
  alertSnapshotEvents: PositiveInt,
  alertSnapshotIntervalMs: PositiveInt,
  logLevel: t.keyof({ trace: null, debug: null, info: null, warn: null, error: null, silent: null }),
  /** Where the local stack keeps endpoints.json (the cluster profile's default server URLs). */
  stackDir: t.string,
  /** Cluster profile: the PostgreSQL ledger ('' = the local stack's). */
  postgresUrl: UrlOrStack(['postgres', 'postgresql']),
  /** Cluster profile: the schema holding the ledger's tables. */
  postgresSchema: Identifier,
  /** Cluster profile: Redis for live views, fan-out and jobs ('' = the local stack's). */
  redisUrl: UrlOrStack(['redis', 'rediss']),
  /** Cluster profile: prefix of every Redis key and channel, so platforms can share one Redis. */
  redisPrefix: t.string,
  /** Cluster profile: Kafka bootstrap servers for the bus ('' = the local stack's). */
  kafkaBrokers: BrokersOrStack,
  /** Cluster profile: prefix of the bus's Kafka topic names, so deployments can share one Kafka ('' = none). */
  kafkaTopicPrefix: TopicPrefix,
  /** Cluster profile: the HBase REST gateway holding the batch views ('' = the local stack's). */
  hbaseUrl: UrlOrStack(['http', 'https']),
  /** Cluster profile: prefix of the HBase table names, so platforms can share one HBase. */
  hbaseTablePrefix: Identifier,
  /** Who recomputes symbol-days: the TS projector in this process, or Spark (cluster profile: writes into HBase). */
  batchEngine: t.keyof({ ts: null, spark: null }),
});
export type Config = t.TypeOf<typeof Config>;

export const DEFAULT_CONFIG: Config = {
  profile: 'embedded',
  host: '127.0.0.1',
  port: 8080,
  dataDir: '.data',
  source: 'simulator',
  files: [],
  speed: 0,
  symbols: 24,
  seed: 42,
  tradesPerSecond: 200,
  allowedLatenessMs: 5_000,
  retentionMs: 3_600_000,
  batchIntervalMs: 5_000,
  binanceWsUrl: 'wss://stream.binance.com:9443',
  binanceRestUrl: 'https://api.binance.com',
  coinbaseWsUrl: 'wss://ws-feed.exchange.coinbase.com',
  coinbaseRestUrl: 'https://api.exchange.coinbase.com',
  coingeckoUrl: 'https://api.coingecko.com/api/v3',
  coingeckoPerMinute: 10,
  coingeckoIntervalMs: 60_000,
  sentimentFeed: '',
  webhookAttempts: 6,
  webhookBackoffMs: 1_000,
  webhookTimeoutMs: 5_000,
  alertSnapshotEvents: 1_000_000,
  alertSnapshotIntervalMs: 300_000,
  logLevel: 'info',
  stackDir: '.stack',
  postgresUrl: '',
  postgresSchema: 'tickvault',
  redisUrl: '',
  redisPrefix: 'tv:',
  kafkaBrokers: '',
  kafkaTopicPrefix: '',
  hbaseUrl: '',
  hbaseTablePrefix: 'tickvault_',
  batchEngine: 'ts',
};

/** Environment variables and the setting each one sets. */
export const ENV_VARS: Record<string, keyof Config> = {
  TICKVAULT_PROFILE: 'profile',
  HOST: 'host',
  PORT: 'port',
  TICKVAULT_DATA_DIR: 'dataDir',
  TICKVAULT_SOURCE: 'source',
  TICKVAULT_SPEED: 'speed',
  TICKVAULT_SYMBOLS: 'symbols',
  TICKVAULT_SEED: 'seed',
  TICKVAULT_TRADES_PER_SECOND: 'tradesPerSecond',
  TICKVAULT_ALLOWED_LATENESS_MS: 'allowedLatenessMs',
  TICKVAULT_RETENTION_MS: 'retentionMs',
  TICKVAULT_BATCH_INTERVAL_MS: 'batchIntervalMs',
  TICKVAULT_BINANCE_WS_URL: 'binanceWsUrl',
  TICKVAULT_BINANCE_REST_URL: 'binanceRestUrl',
  TICKVAULT_COINBASE_WS_URL: 'coinbaseWsUrl',
  TICKVAULT_COINBASE_REST_URL: 'coinbaseRestUrl',
  TICKVAULT_COINGECKO_URL: 'coingeckoUrl',
  TICKVAULT_COINGECKO_PER_MINUTE: 'coingeckoPerMinute',
  TICKVAULT_COINGECKO_INTERVAL_MS: 'coingeckoIntervalMs',
  TICKVAULT_SENTIMENT_FEED: 'sentimentFeed',
  TICKVAULT_WEBHOOK_ATTEMPTS: 'webhookAttempts',
  TICKVAULT_WEBHOOK_BACKOFF_MS: 'webhookBackoffMs',
  TICKVAULT_WEBHOOK_TIMEOUT_MS: 'webhookTimeoutMs',
  TICKVAULT_ALERT_SNAPSHOT_EVENTS: 'alertSnapshotEvents',
  TICKVAULT_ALERT_SNAPSHOT_INTERVAL_MS: 'alertSnapshotIntervalMs',
  LOG_LEVEL: 'logLevel',
  TICKVAULT_STACK_DIR: 'stackDir',
  TICKVAULT_POSTGRES_URL: 'postgresUrl',
  TICKVAULT_POSTGRES_SCHEMA: 'postgresSchema',
  TICKVAULT_REDIS_URL: 'redisUrl',
  TICKVAULT_REDIS_PREFIX: 'redisPrefix',
  TICKVAULT_KAFKA_BROKERS: 'kafkaBrokers',
  TICKVAULT_KAFKA_TOPIC_PREFIX: 'kafkaTopicPrefix',
  TICKVAULT_HBASE_URL: 'hbaseUrl',
  TICKVAULT_HBASE_TABLE_PREFIX: 'hbaseTablePrefix',
  TICKVAULT_BATCH_ENGINE: 'batchEngine',
};

const NUMERIC: ReadonlySet<keyof Config> = new Set(['port', 'speed', 'symbols', 'seed', 'tradesPerSecond', 'allowedLatenessMs', 'retentionMs', 'batchIntervalMs', 'coingeckoPerMinute', 'coingeckoIntervalMs', 'webhookAttempts', 'webhookBackoffMs', 'webhookTimeoutMs', 'alertSnapshotEvents', 'alertSnapshotIntervalMs']);

/** Strings from env and flags become numbers where the setting is numeric ("abc" stays a string and fails validation). */
const coerce = (key: keyof Config, value: string): unknown => {
  if (key === 'files') return value.split(',').filter((s) => s !== '');
  if (NUMERIC.has(key) && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  // --symbols BTC-USDT,ETH-USDT (a list) or all-usdt, where it is not a count.
  if (key === 'symbols' && value !== 'all-usdt') return value.split(',').map((x) => x.trim()).filter((x) => x !== '');
  return value;
};

export interface ConfigSources {
  readonly file?: string;
  readonly env: Record<string, string | undefined>;
  /** Flag values by setting name, already parsed by the CLI. */
  readonly flags: Partial<Record<keyof Config, string | string[]>>;
}

/** The sources `--source` names, in order. */
export const sourceNames = (config: Pick<Config, 'source'>): string[] => config.source.split(',').map((x) => x.trim()).filter((x) => x !== '');

export const loadConfig = (sources: ConfigSources): Config => {
  const merged: Record<string, unknown> = { ...DEFAULT_CONFIG };
  const file = sources.file ?? sources.env['TICKVAULT_CONFIG'];
  if (file !== undefined && file !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new InvalidInputError(`config file ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new InvalidInputError(`config file ${file}: expected a JSON object of settings`);
    }
    for (const [k, v] of Object.entries(parsed)) {
      if (!(k in DEFAULT_CONFIG)) throw new InvalidInputError(`config file ${file}: unknown setting "${k}" (known: ${Object.keys(DEFAULT_CONFIG).join(', ')})`);
      merged[k] = v;
    }
  }
  for (const [name, key] of Object.entries(ENV_VARS)) {
    const v = sources.env[name];
    if (v !== undefined && v !== '') merged[key] = coerce(key, v);
  }
  for (const [key, v] of Object.entries(sources.flags) as Array<[keyof Config, string | string[] | undefined]>) {
    if (v === undefined) continue;
    merged[key] = Array.isArray(v) ? v.flatMap((x) => x.split(',')).filter((s) => s !== '') : coerce(key, v);
  }
  const result = validate(Config, merged);
  if (!result.ok) throw new InvalidInputError(`invalid configuration: ${result.reason}`);
  const named = sourceNames(result.value);
  if (named.includes('simulator') && typeof result.value.symbols !== 'number') {
    throw new InvalidInputError('--symbols for the simulator is a count (e.g. 24); a symbol list is for the live sources (binance, coinbase, coingecko)');
  }
  if (named.includes('sentiment') && result.value.sentimentFeed === '') {
    throw new InvalidInputError('--source sentiment needs --sentiment-feed: a JSON-lines file of posts or an http(s) URL serving them');
  }
  if (named.includes('replay') && result.value.files.length === 0) {
    throw new InvalidInputError('--source replay needs files: pass them with --files a.csv,b.csv (or as arguments of `tickvault import`)');
  }
  return result.value;
};
