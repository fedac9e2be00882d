/**
 * Every setting, once: its kind of value (which says what is valid), default, command-line flag,
 * environment variable and help. The config loader, the defaults, the flag parser, `--help` and
 * the README's settings tables are all derived from this table, so adding a setting here is the
 * whole of adding it.
 */
import { HDFS_LAKE_URI } from '../../adapters/lake/lakeLocation.js';
import { ROLES } from '../../domain/access/roles.js';
import { ALL_ROLES, PROCESS_ROLES } from '../processRoles.js';
import { finiteNumber, integer, listOf, matching, oneOf, paths, symbols, text, timerMs, type SettingKind, type ValueOf } from './settingTypes.js';

/** Sections of --help and of the README's tables. */
export const SETTING_GROUPS = {
  general: 'General',
  sources: 'Sources',
  views: 'Live and batch views',
  alerts: 'Alerts',
  access: 'Keys and access',
  cluster: 'Cluster profile',
  models: 'Models and predictions',
} as const;
export type SettingGroup = keyof typeof SETTING_GROUPS;

export interface SettingSpec<K extends SettingKind = SettingKind> {
  readonly kind: K;
  readonly default: ValueOf<K>;
  /** Without the leading `--`. */
  readonly flag: string;
  readonly env?: string;
  /** What the setting does, in a phrase; the valid values and the default are added from `kind` and `default`. */
  readonly help: string;
  /** Says what the default means where its text alone would not (e.g. '' = the local stack's). */
  readonly defaultText?: string;
  readonly group: SettingGroup;
}
const setting = <K extends SettingKind>(spec: SettingSpec<K>): SettingSpec<K> => spec;

/** The sources that follow symbols, which `--symbols` may address one by one (`okx:BTC-USDT`). */
export const SYMBOL_SOURCES = ['binance', 'coinbase', 'kraken', 'bitstamp', 'gemini', 'okx', 'bybit', 'bitfinex', 'coingecko'] as const;
/** The sources `--source` may name, several at once as a comma-separated list. */
export const SOURCE_NAMES = ['simulator', 'replay', 'none', ...SYMBOL_SOURCES, 'sentiment'] as const;

const url = matching(/^(https?|wss?):\/\/\S+$/, 'an http(s) or ws(s) URL');
/** '' means "the local stack's", read from STACK_DIR/endpoints.json by the cluster profile. */
const urlOrStack = (schemes: readonly string[]) =>
  matching(new RegExp(`^(?:(?:${schemes.join('|')}):\\/\\/[\\s\\S]*)?$`), `'' or a URL with scheme ${schemes.join(' or ')}`);
const FROM_STACK = "'' = the local stack's, from STACK_DIR/endpoints.json";
const roleLimit = `(?:${ROLES.join('|')})=\\d{1,9}`;
/** An IPv4 or IPv6 address range in CIDR form; parsed again where it is used (webhookTarget.ts). */
const cidr = '[0-9A-Fa-f.:]{2,39}\\/\\d{1,3}';
const roleWord = `(?:${PROCESS_ROLES.join('|')})`;
const processRoles = matching(new RegExp(`^(?:${ALL_ROLES}|${roleWord}(?:,${roleWord})*)$`), `${ALL_ROLES}, or one or more of ${PROCESS_ROLES.join(', ')}, comma-separated`);
const identifier = matching(/^[a-z_][a-z0-9_]{0,62}$/, 'lower-case letters, digits and _, starting with a letter or _ (at most 63)');

export const SETTINGS = {
  profile: setting({ kind: oneOf(['embedded', 'cluster']), default: 'embedded', flag: 'profile', env: 'TICKVAULT_PROFILE', group: 'general', help: 'embedded: one process, no servers; cluster: PostgreSQL, Kafka, Redis, HBase, BullMQ' }),
  host: setting({ kind: text(), default: '127.0.0.1', flag: 'host', env: 'HOST', group: 'general', help: 'address the HTTP server listens on' }),
  port: setting({ kind: integer(0, 65535), default: 8080, flag: 'port', env: 'PORT', group: 'general', help: 'HTTP port (0: any free port)' }),
  dataDir: setting({ kind: text(), default: '.data', flag: 'data-dir', env: 'TICKVAULT_DATA_DIR', group: 'general', help: 'folder for the ledger, the batch store and checkpoints' }),
  ledgerKeyFile: setting({ kind: text(), default: '', flag: 'ledger-key-file', env: 'TICKVAULT_LEDGER_KEY_FILE', group: 'general', defaultText: 'ledger-key.json in the data folder, made on first start', help: "the ledger's checkpoint signing key (Ed25519, JSON); cluster: give every process the same file" }),
  logLevel: setting({ kind: oneOf(['trace', 'debug', 'info', 'warn', 'error', 'silent']), default: 'info', flag: 'log-level', env: 'LOG_LEVEL', group: 'general', help: 'how much to log (LOG_FORMAT=json for JSON lines)' }),
  slowRequestMs: setting({ kind: integer(1), default: 1_000, flag: 'slow-request-ms', env: 'TICKVAULT_SLOW_REQUEST_MS', group: 'general', help: 'HTTP requests taking this long (ms) are logged at info; quicker successful ones at debug' }),
  readyMaxLag: setting({ kind: integer(0), default: 100_000, flag: 'ready-max-lag', env: 'TICKVAULT_READY_MAX_LAG', group: 'general', help: 'GET /health/ready answers 503 while a follower (live projection, alert feed...) is more events than this behind the ledger head' }),
  roles: setting({ kind: processRoles, default: ALL_ROLES, flag: 'roles', env: 'TICKVAULT_ROLES', group: 'general', help: 'what this process runs (cluster profile; the embedded profile runs all in its one process): api (any number), ingest (one sequencer), live, batch, relay (one each; a second waits as standby), alerts, jobs (any number)' }),

  source: setting({ kind: listOf(SOURCE_NAMES), default: 'simulator', flag: 'source', env: 'TICKVAULT_SOURCE', group: 'sources', help: 'where observations come from; several at once: binance,coinbase,kraken,okx' }),
  files: setting({ kind: paths(), default: [], flag: 'files', group: 'sources', defaultText: 'none', help: 'for --source replay: Binance kline/trade CSV files, .gz websocket recordings' }),
  speed: setting({ kind: finiteNumber(0), default: 0, flag: 'speed', env: 'TICKVAULT_SPEED', group: 'sources', help: 'replay pace: 0 = as fast as possible, 60 = one hour per minute' }),
  channels: setting({ kind: listOf(['trades', 'books']), default: 'trades', flag: 'channels', env: 'TICKVAULT_CHANNELS', group: 'sources', help: 'what live exchange sources subscribe to: trades, and books (level-2 order books, kept and checked per exchange); the simulator adds its own books, with spoofing episodes injected' }),
  symbols: setting({ kind: symbols(SYMBOL_SOURCES), default: 24, flag: 'symbols', env: 'TICKVAULT_SYMBOLS', group: 'sources', help: 'simulator: how many symbols; live sources: which ones (BTC-USDT,ETH-USDT), all-usdt or all-usd (every such pair the exchange lists), or per exchange (okx:BTC-USDT,ETH-USDT,kraken:BTC-USD)' }),
  seed: setting({ kind: finiteNumber(), default: 42, flag: 'seed', env: 'TICKVAULT_SEED', group: 'sources', help: 'simulator: random seed (the same seed, the same market)' }),
  tradesPerSecond: setting({ kind: integer(1), default: 200, flag: 'trades-per-second', env: 'TICKVAULT_TRADES_PER_SECOND', group: 'sources', help: 'simulator: trades per second in real time' }),
  binanceWsUrl: setting({ kind: url, default: 'wss://stream.binance.com:9443', flag: 'binance-ws-url', env: 'TICKVAULT_BINANCE_WS_URL', group: 'sources', help: 'Binance WebSocket base' }),
  binanceRestUrl: setting({ kind: url, default: 'https://api.binance.com', flag: 'binance-rest-url', env: 'TICKVAULT_BINANCE_REST_URL', group: 'sources', help: 'Binance REST base, for exchangeInfo and gap healing' }),
  coinbaseWsUrl: setting({ kind: url, default: 'wss://ws-feed.exchange.coinbase.com', flag: 'coinbase-ws-url', env: 'TICKVAULT_COINBASE_WS_URL', group: 'sources', help: 'Coinbase Exchange feed' }),
  coinbaseRestUrl: setting({ kind: url, default: 'https://api.exchange.coinbase.com', flag: 'coinbase-rest-url', env: 'TICKVAULT_COINBASE_REST_URL', group: 'sources', help: 'Coinbase Exchange REST base, for gap healing' }),
  coingeckoUrl: setting({ kind: url, default: 'https://api.coingecko.com/api/v3', flag: 'coingecko-url', env: 'TICKVAULT_COINGECKO_URL', group: 'sources', help: 'CoinGecko API base' }),
  coingeckoPerMinute: setting({ kind: integer(1), default: 10, flag: 'coingecko-per-minute', env: 'TICKVAULT_COINGECKO_PER_MINUTE', group: 'sources', help: 'CoinGecko requests allowed per minute (its public limit is about 30; a paid key allows more)' }),
  coingeckoIntervalMs: setting({ kind: timerMs(1), default: 60_000, flag: 'coingecko-interval-ms', env: 'TICKVAULT_COINGECKO_INTERVAL_MS', group: 'sources', help: 'how often to poll CoinGecko /coins/markets' }),
  sentimentFeed: setting({ kind: text(), default: '', flag: 'sentiment-feed', env: 'TICKVAULT_SENTIMENT_FEED', group: 'sources', defaultText: 'none', help: 'for --source sentiment: a JSON-lines file of posts, or an http(s) URL serving them' }),

  allowedLatenessMs: setting({ kind: finiteNumber(0), default: 5_000, flag: 'allowed-lateness-ms', env: 'TICKVAULT_ALLOWED_LATENESS_MS', group: 'views', help: 'how late (ms) an event may be and still enter a live window' }),
  retentionMs: setting({ kind: integer(1), default: 3_600_000, flag: 'retention-ms', env: 'TICKVAULT_RETENTION_MS', group: 'views', help: 'how long (ms) the speed layer keeps closed minutes' }),
  bookIntervalMs: setting({ kind: integer(1_000, 3_600_000), default: 60_000, flag: 'book-interval-ms', env: 'TICKVAULT_BOOK_INTERVAL_MS', group: 'views', help: 'order books: event time each lake file and its ledger digest cover, per book' }),
  bookSnapshotMs: setting({ kind: integer(100, 3_600_000), default: 10_000, flag: 'book-snapshot-ms', env: 'TICKVAULT_BOOK_SNAPSHOT_MS', group: 'views', help: "order books: event time between the archive's own snapshots of a book in the lake (a replay reads at most this much of deltas); every lake file also starts with one" }),
  bookGraceMs: setting({ kind: integer(0, 3_600_000), default: 5_000, flag: 'book-grace-ms', env: 'TICKVAULT_BOOK_GRACE_MS', group: 'views', help: "order books: how long (ms) a quiet book's interval stays open past its end before its file and digest are written" }),
  bookStreamMs: setting({ kind: timerMs(10), default: 250, flag: 'book-stream-ms', env: 'TICKVAULT_BOOK_STREAM_MS', group: 'views', help: 'order books: at most one view per symbol this often on /ws/book/{symbol}' }),
  batchIntervalMs: setting({ kind: timerMs(1), default: 5_000, flag: 'batch-interval-ms', env: 'TICKVAULT_BATCH_INTERVAL_MS', group: 'views', help: 'how often the batch projector runs' }),

  webhookAttempts: setting({ kind: integer(1), default: 6, flag: 'webhook-attempts', env: 'TICKVAULT_WEBHOOK_ATTEMPTS', group: 'alerts', help: 'alert webhooks: tries per delivery before it is dead-lettered' }),
  webhookBackoffMs: setting({ kind: timerMs(1), default: 1_000, flag: 'webhook-backoff-ms', env: 'TICKVAULT_WEBHOOK_BACKOFF_MS', group: 'alerts', help: 'alert webhooks: first retry delay, doubled each retry' }),
  webhookTimeoutMs: setting({ kind: timerMs(1), default: 5_000, flag: 'webhook-timeout-ms', env: 'TICKVAULT_WEBHOOK_TIMEOUT_MS', group: 'alerts', help: 'alert webhooks: timeout of one POST' }),
  webhookAllowedRanges: setting({ kind: matching(new RegExp(`^(?:${cidr}(?:\\s*,\\s*${cidr})*)?$`), "'' or address ranges in CIDR form, comma-separated (10.1.0.0/16,fd00::/8)"), default: '', flag: 'webhook-allowed-ranges', env: 'TICKVAULT_WEBHOOK_ALLOWED_RANGES', group: 'alerts', defaultText: 'none', help: 'alert webhooks: private, loopback, link-local or other internal address ranges webhooks may nevertheless be posted to (every public address is allowed)' }),
  alertSnapshotEvents: setting({ kind: integer(1), default: 1_000_000, flag: 'alert-snapshot-events', env: 'TICKVAULT_ALERT_SNAPSHOT_EVENTS', group: 'alerts', help: "alert engine: save the detectors' state after this many ledger events, so a restart resumes there instead of folding the ledger from the start (a save pauses the engine for about 0.1-0.3 s per 10 MB of state; a restart replays at most this many)" }),
  alertSnapshotIntervalMs: setting({ kind: integer(1), default: 300_000, flag: 'alert-snapshot-interval-ms', env: 'TICKVAULT_ALERT_SNAPSHOT_INTERVAL_MS', group: 'alerts', help: "alert engine: ... or after this long (ms), whichever comes first" }),
  alertEngineThread: setting({ kind: oneOf(['main', 'worker'] as const), default: 'main', flag: 'alert-engine-thread', env: 'TICKVAULT_ALERT_ENGINE_THREAD', group: 'alerts', help: "embedded profile: where the alert engine's detectors fold: on the main thread, or on a worker thread of their own (the second core; the main thread then copies each page of events to it)" }),

  openReads: setting({ kind: oneOf(['loopback', 'never']), default: 'loopback', flag: 'open-reads', env: 'TICKVAULT_OPEN_READS', group: 'access', help: 'loopback: on the embedded profile bound to a loopback address, reads of market data, alerts and analytics need no key; never: every route needs one (as always on the cluster profile or another address)' }),
  adminKeyFile: setting({ kind: text(), default: '', flag: 'admin-key-file', env: 'TICKVAULT_ADMIN_KEY_FILE', group: 'access', defaultText: 'none: a random key, written to admin-key in the data folder', help: 'a file holding the first admin key (tvk_ and 43 base64url characters), such as a mounted Kubernetes Secret: the first start of a ledger without keys issues this key instead of making one' }),
  rateLimit: setting({ kind: integer(1), default: 1_000, flag: 'rate-limit', env: 'TICKVAULT_RATE_LIMIT', group: 'access', help: 'requests per second per API key (per client address for requests without one); cluster: counted in Redis across every API process' }),
  rateLimitByRole: setting({ kind: matching(new RegExp(`^(?:${roleLimit}(?:,${roleLimit})*)?$`), "'' or role=requests per second, comma-separated (admin=100,viewer=5000)"), default: '', flag: 'rate-limit-by-role', env: 'TICKVAULT_RATE_LIMIT_BY_ROLE', group: 'access', defaultText: 'none (every role: --rate-limit)', help: "per-role exceptions to --rate-limit" }),

  stackDir: setting({ kind: text(), default: '.stack', flag: 'stack-dir', env: 'TICKVAULT_STACK_DIR', group: 'cluster', help: "folder of the local stack (`tickvault stack up`), whose endpoints.json gives the servers' default URLs" }),
  postgresUrl: setting({ kind: urlOrStack(['postgres', 'postgresql']), default: '', flag: 'postgres-url', env: 'TICKVAULT_POSTGRES_URL', group: 'cluster', defaultText: FROM_STACK, help: 'the PostgreSQL ledger, postgres://user@host:port/db' }),
  postgresSchema: setting({ kind: identifier, default: 'tickvault', flag: 'postgres-schema', env: 'TICKVAULT_POSTGRES_SCHEMA', group: 'cluster', help: "the schema holding the ledger's tables" }),
  redisUrl: setting({ kind: urlOrStack(['redis', 'rediss']), default: '', flag: 'redis-url', env: 'TICKVAULT_REDIS_URL', group: 'cluster', defaultText: FROM_STACK, help: 'Redis for live views, fan-out and jobs, redis://host:port' }),
  redisPrefix: setting({ kind: text(), default: 'tv:', flag: 'redis-prefix', env: 'TICKVAULT_REDIS_PREFIX', group: 'cluster', help: 'prefix of every Redis key and channel, so platforms can share one Redis' }),
  kafkaBrokers: setting({ kind: matching(/^(?:\s*[A-Za-z0-9.-]+:\d{1,5}\s*(?:,\s*[A-Za-z0-9.-]+:\d{1,5}\s*)*)?$/, "'' or host:port[,host:port...]"), default: '', flag: 'kafka-brokers', env: 'TICKVAULT_KAFKA_BROKERS', group: 'cluster', defaultText: FROM_STACK, help: 'Kafka bootstrap servers for the bus' }),
  kafkaTopicPrefix: setting({ kind: matching(/^[A-Za-z0-9._-]{0,100}$/, "'' or letters, digits, '.', '_' and '-' (at most 100)"), default: '', flag: 'kafka-topic-prefix', env: 'TICKVAULT_KAFKA_TOPIC_PREFIX', group: 'cluster', defaultText: 'none (crypto.prices.raw, crypto.alerts, ...)', help: 'prefix of the Kafka topic names, so several deployments can share one Kafka' }),
  hbaseUrl: setting({ kind: urlOrStack(['http', 'https']), default: '', flag: 'hbase-url', env: 'TICKVAULT_HBASE_URL', group: 'cluster', defaultText: FROM_STACK, help: 'the HBase REST gateway holding the batch views, http://host:port' }),
  hbaseTablePrefix: setting({ kind: identifier, default: 'tickvault_', flag: 'hbase-table-prefix', env: 'TICKVAULT_HBASE_TABLE_PREFIX', group: 'cluster', help: 'prefix of the HBase table names, so platforms can share one HBase' }),
  batchEngine: setting({ kind: oneOf(['ts', 'spark']), default: 'ts', flag: 'batch-engine', env: 'TICKVAULT_BATCH_ENGINE', group: 'cluster', help: "who recomputes symbol-days after a correction: ts (in process) or spark (cluster only: spark-submit to the local stack's master, rows written into HBase)" }),
  lake: setting({ kind: matching(new RegExp(`^(?:${HDFS_LAKE_URI.source.slice(1, -1)})?$`), "'' or hdfs://host:port/absolute/path"), default: '', flag: 'lake', env: 'TICKVAULT_LAKE', group: 'cluster', defaultText: "'' = /crypto on the local stack's HDFS, from STACK_DIR/endpoints.json", help: 'the lake (master dataset) on HDFS; --batch-engine spark stages each recompute\'s input under its tmp/ (one lake per ledger)' }),
  hdfsWebUrl: setting({ kind: urlOrStack(['http', 'https']), default: '', flag: 'hdfs-web-url', env: 'TICKVAULT_HDFS_WEB_URL', group: 'cluster', defaultText: FROM_STACK, help: "the lake's NameNode web address (WebHDFS), http://host:port, through which --batch-engine spark writes and removes a recompute's input" }),
  modelSymbols: setting({ kind: matching(/^(?:[A-Z0-9]{1,20}-[A-Z0-9]{1,20}(?:,[A-Z0-9]{1,20}-[A-Z0-9]{1,20})*)?$/, "'' or symbols BTC-USDT,ETH-USDT"), default: '', flag: 'model-symbols', env: 'TICKVAULT_MODEL_SYMBOLS', group: 'models', defaultText: "'' = none", help: 'watched symbols: a return model per horizon trained nightly (as `challenger`), each champion asked for a prediction every hour, predictions scored hourly' }),
  modelHorizons: setting({ kind: matching(/^\d{1,4}[hd](?:,\d{1,4}[hd])*$/, 'horizons like 1h,24h'), default: '1h,24h', flag: 'model-horizons', env: 'TICKVAULT_MODEL_HORIZONS', group: 'models', help: "the horizons of the watched symbols' scheduled training and predictions (on 1h bars)" }),
  modelTrainingDays: setting({ kind: integer(7, 3650), default: 365, flag: 'model-training-days', env: 'TICKVAULT_MODEL_TRAINING_DAYS', group: 'models', help: 'days of bars the nightly training reads, ending at the last complete day' }),
};

export type SettingName = keyof typeof SETTINGS;
/** The validated settings the platform runs with. */
export type Config = { -readonly [K in SettingName]: ValueOf<(typeof SETTINGS)[K]['kind']> };

/** The table as a list, in its order (for code that treats every setting alike). */
export const SETTING_LIST: ReadonlyArray<readonly [SettingName, SettingSpec]> = Object.entries(SETTINGS) as Array<[SettingName, SettingSpec]>;

/** The default as flag text ('' shown as ''), or in words where the table says what it means. */
export const defaultText = (spec: SettingSpec): string => {
  if (spec.defaultText !== undefined) return spec.defaultText;
  const written = spec.kind.toText(spec.default as never);
  return written === '' ? "''" : written;
};
