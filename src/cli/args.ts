/** Command-line flags: one table, shared by --help and the parser, so the two cannot drift apart. */
import { parseArgs } from 'node:util';
import type { Config } from '../app/config.js';

export interface FlagSpec {
  readonly flag: string;
  readonly setting?: keyof Config;
  readonly type: 'string' | 'boolean';
  readonly help: string;
  readonly env?: string;
}

export const FLAGS: readonly FlagSpec[] = [
  { flag: 'config', type: 'string', help: 'JSON file of settings (any of the settings below)', env: 'TICKVAULT_CONFIG' },
  { flag: 'profile', setting: 'profile', type: 'string', help: 'embedded (default: one process, no servers) or cluster', env: 'TICKVAULT_PROFILE' },
  { flag: 'host', setting: 'host', type: 'string', help: 'address to listen on (default 127.0.0.1)', env: 'HOST' },
  { flag: 'port', setting: 'port', type: 'string', help: 'HTTP port (default 8080)', env: 'PORT' },
  { flag: 'data-dir', setting: 'dataDir', type: 'string', help: 'folder for the ledger and batch store (default .data)', env: 'TICKVAULT_DATA_DIR' },
  { flag: 'source', setting: 'source', type: 'string', help: 'simulator (default), replay, binance, coinbase, coingecko, sentiment, none; several: binance,coinbase', env: 'TICKVAULT_SOURCE' },
  { flag: 'files', setting: 'files', type: 'string', help: 'comma-separated files for --source replay (Binance kline/trade CSV, .gz websocket recordings)' },
  { flag: 'speed', setting: 'speed', type: 'string', help: 'replay pace: 0 = as fast as possible (default), 60 = one hour per minute', env: 'TICKVAULT_SPEED' },
  { flag: 'symbols', setting: 'symbols', type: 'string', help: 'simulator: number of symbols (default 24); live sources: BTC-USDT,ETH-USDT or all-usdt (Binance)', env: 'TICKVAULT_SYMBOLS' },
  { flag: 'binance-ws-url', setting: 'binanceWsUrl', type: 'string', help: 'Binance WebSocket base (default wss://stream.binance.com:9443)', env: 'TICKVAULT_BINANCE_WS_URL' },
  { flag: 'binance-rest-url', setting: 'binanceRestUrl', type: 'string', help: 'Binance REST base for exchangeInfo and gap healing (default https://api.binance.com)', env: 'TICKVAULT_BINANCE_REST_URL' },
  { flag: 'coinbase-ws-url', setting: 'coinbaseWsUrl', type: 'string', help: 'Coinbase Exchange feed (default wss://ws-feed.exchange.coinbase.com)', env: 'TICKVAULT_COINBASE_WS_URL' },
  { flag: 'coinbase-rest-url', setting: 'coinbaseRestUrl', type: 'string', help: 'Coinbase Exchange REST base for gap healing (default https://api.exchange.coinbase.com)', env: 'TICKVAULT_COINBASE_REST_URL' },
  { flag: 'coingecko-url', setting: 'coingeckoUrl', type: 'string', help: 'CoinGecko API base (default https://api.coingecko.com/api/v3)', env: 'TICKVAULT_COINGECKO_URL' },
  { flag: 'coingecko-per-minute', setting: 'coingeckoPerMinute', type: 'string', help: 'CoinGecko requests per minute allowed (default 10)', env: 'TICKVAULT_COINGECKO_PER_MINUTE' },
  { flag: 'coingecko-interval-ms', setting: 'coingeckoIntervalMs', type: 'string', help: 'how often to poll /coins/markets (default 60000)', env: 'TICKVAULT_COINGECKO_INTERVAL_MS' },
  { flag: 'sentiment-feed', setting: 'sentimentFeed', type: 'string', help: '--source sentiment: JSON-lines file of posts, or an http(s) URL serving them', env: 'TICKVAULT_SENTIMENT_FEED' },
  { flag: 'seed', setting: 'seed', type: 'string', help: 'simulator: random seed (default 42)', env: 'TICKVAULT_SEED' },
  { flag: 'trades-per-second', setting: 'tradesPerSecond', type: 'string', help: 'simulator: trades per second in real time (default 200)', env: 'TICKVAULT_TRADES_PER_SECOND' },
  { flag: 'allowed-lateness-ms', setting: 'allowedLatenessMs', type: 'string', help: 'how late an event may be and still enter a live window (default 5000)', env: 'TICKVAULT_ALLOWED_LATENESS_MS' },
  { flag: 'retention-ms', setting: 'retentionMs', type: 'string', help: 'how long the speed layer keeps closed minutes (default 3600000)', env: 'TICKVAULT_RETENTION_MS' },
  { flag: 'batch-interval-ms', setting: 'batchIntervalMs', type: 'string', help: 'how often the batch projector runs (default 5000)', env: 'TICKVAULT_BATCH_INTERVAL_MS' },
  { flag: 'webhook-attempts', setting: 'webhookAttempts', type: 'string', help: 'alert webhooks: tries per delivery before it is dead-lettered (default 6)', env: 'TICKVAULT_WEBHOOK_ATTEMPTS' },
  { flag: 'webhook-backoff-ms', setting: 'webhookBackoffMs', type: 'string', help: 'alert webhooks: first retry delay, doubled each retry (default 1000)', env: 'TICKVAULT_WEBHOOK_BACKOFF_MS' },
  { flag: 'webhook-timeout-ms', setting: 'webhookTimeoutMs', type: 'string', help: 'alert webhooks: timeout of one POST (default 5000)', env: 'TICKVAULT_WEBHOOK_TIMEOUT_MS' },
  { flag: 'alert-snapshot-events', setting: 'alertSnapshotEvents', type: 'string', help: 'alert engine: save the detectors\' state every this many ledger events (default 1000000; a save pauses the engine for a moment, a restart replays at most this many), so a restart resumes there instead of folding the ledger from the start', env: 'TICKVAULT_ALERT_SNAPSHOT_EVENTS' },
  { flag: 'alert-snapshot-interval-ms', setting: 'alertSnapshotIntervalMs', type: 'string', help: 'alert engine: ... or after this long, whichever comes first (default 300000)', env: 'TICKVAULT_ALERT_SNAPSHOT_INTERVAL_MS' },
  { flag: 'log-level', setting: 'logLevel', type: 'string', help: 'trace, debug, info (default), warn, error, silent', env: 'LOG_LEVEL' },
  { flag: 'stack-dir', setting: 'stackDir', type: 'string', help: 'cluster: folder of the local stack whose endpoints.json gives default URLs (default .stack)', env: 'TICKVAULT_STACK_DIR' },
  { flag: 'postgres-url', setting: 'postgresUrl', type: 'string', help: "cluster: PostgreSQL ledger, postgres://user@host:port/db (default: the local stack's, from .stack/endpoints.json)", env: 'TICKVAULT_POSTGRES_URL' },
  { flag: 'postgres-schema', setting: 'postgresSchema', type: 'string', help: 'cluster: schema of the ledger tables (default tickvault)', env: 'TICKVAULT_POSTGRES_SCHEMA' },
  { flag: 'redis-url', setting: 'redisUrl', type: 'string', help: "cluster: Redis for live views, fan-out and jobs, redis://host:port (default: the local stack's)", env: 'TICKVAULT_REDIS_URL' },
  { flag: 'redis-prefix', setting: 'redisPrefix', type: 'string', help: 'cluster: prefix of Redis keys and channels (default tv:)', env: 'TICKVAULT_REDIS_PREFIX' },
  { flag: 'kafka-brokers', setting: 'kafkaBrokers', type: 'string', help: "cluster: Kafka bootstrap servers host:port[,host:port] for the bus (default: the local stack's)", env: 'TICKVAULT_KAFKA_BROKERS' },
  { flag: 'kafka-topic-prefix', setting: 'kafkaTopicPrefix', type: 'string', help: 'cluster: prefix of the Kafka topic names (default none: crypto.prices.raw, crypto.alerts, ...), so several deployments can share one Kafka', env: 'TICKVAULT_KAFKA_TOPIC_PREFIX' },
  { flag: 'hbase-url', setting: 'hbaseUrl', type: 'string', help: "cluster: HBase REST gateway for the batch views, http://host:port (default: the local stack's)", env: 'TICKVAULT_HBASE_URL' },
  { flag: 'hbase-table-prefix', setting: 'hbaseTablePrefix', type: 'string', help: 'cluster: prefix of the HBase table names (default tickvault_)', env: 'TICKVAULT_HBASE_TABLE_PREFIX' },
  { flag: 'batch-engine', setting: 'batchEngine', type: 'string', help: "who recomputes symbol-days after a correction: ts (default, in process) or spark (cluster only: spark-submit to the local stack's master, rows written into HBase)", env: 'TICKVAULT_BATCH_ENGINE' },
  { flag: 'as-of', type: 'string', help: 'replay: the instant (ISO-8601 or epoch ms)' },
  { flag: 'day', type: 'string', help: 'replay: the event-time day (yyyy-mm-dd, UTC) as known at --as-of; default its own day' },
  { flag: 'symbol', type: 'string', help: 'replay: one symbol (default: every symbol traded that day); recompute: the symbol' },
  { flag: 'from', type: 'string', help: 'recompute: first UTC day, yyyy-mm-dd' },
  { flag: 'to', type: 'string', help: 'recompute: last UTC day, yyyy-mm-dd (inclusive)' },
  { flag: 'engine', type: 'string', help: 'recompute: ts or spark (default: the batchEngine setting)' },
  { flag: 'reason', type: 'string', help: 'recompute: why, recorded in the ledger' },
  { flag: 'exchange', type: 'string', help: 'decode: whose wire format stdin holds: binance or coinbase' },
  { flag: 'json', type: 'boolean', help: 'replay, verify: print JSON instead of text' },
  { flag: 'help', type: 'boolean', help: 'show this help' },
];

export interface ParsedArgs {
  readonly command: string | undefined;
  readonly positionals: string[];
  readonly settings: Partial<Record<keyof Config, string>>;
  readonly configFile: string | undefined;
  readonly values: Record<string, string | boolean | undefined>;
}

export const parseCommandLine = (argv: readonly string[]): ParsedArgs => {
  const options = Object.fromEntries(FLAGS.map((f) => [f.flag, { type: f.type }])) as Record<string, { type: 'string' | 'boolean' }>;
  const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  const settings: Partial<Record<keyof Config, string>> = {};
  for (const f of FLAGS) {
    const v = values[f.flag];
    if (f.setting !== undefined && typeof v === 'string') settings[f.setting] = v;
  }
  const vals = values as Record<string, string | boolean | undefined>;
  return {
    command: positionals[0],
    positionals: positionals.slice(1),
    settings,
    configFile: typeof vals['config'] === 'string' ? vals['config'] : undefined,
    values: vals,
  };
};

export const helpText = (): string => {
  const width = Math.max(...FLAGS.map((f) => f.flag.length)) + 4;
  const flags = FLAGS.map((f) => `  --${f.flag.padEnd(width)}${f.help}${f.env === undefined ? '' : ` [env ${f.env}]`}`).join('\n');
  return `tickvault: crypto market intelligence on an event-sourced, hash-chained ledger

Usage:
  tickvault start [flags]                 run the platform (HTTP API, dashboard, live source)
  tickvault import <files...> [flags]     load Binance dump files / recordings into the ledger
  tickvault verify [--data-dir D]         check the ledger's hash chain; exit 1 naming the first bad position
  tickvault replay --as-of T [--symbol S] [--day D]
                                          what the system knew at T, beside what is true now
  tickvault recompute --symbol S --from D --to D [--engine ts|spark]
                                          rebuild a symbol's batch views for UTC days; prints the new version
  tickvault stack up|down|status [NAME]   install, start, stop or check the local servers (redis, postgres, ...)
  tickvault decode --exchange binance|coinbase
                                          wire messages (JSON lines) on stdin → canonical events on stdout
  tickvault help                          this text

Examples:
  npm start                                           simulator, http://127.0.0.1:8080
  npm start -- --source replay --files ../shared/data/binance-spot-klines-1m-2023-02/BTCUSDT-1m-2023-02-01.csv --speed 60
  npm start -- --source binance --symbols BTC-USDT,ETH-USDT     live Binance trades and 1m klines
  npm start -- --source coinbase,coingecko --symbols BTC-USD    several sources at once
  npx tickvault verify --data-dir .data
  npx tickvault replay --as-of 2024-01-01T00:30:00Z --symbol BTC-USDT
  npx tickvault stack up                              local Redis + PostgreSQL (+ the other servers), then:
  npm start -- --profile cluster                      PostgreSQL ledger, Redis live views and fan-out, BullMQ jobs
  npx tickvault decode --exchange coinbase < matches.jsonl > trades.jsonl
  npx tickvault recompute --profile cluster --engine spark --symbol BTC-USDT --from 2024-08-08 --to 2024-08-09

Flags (settings also come from a --config JSON file and from the environment; flags win):
${flags}
`;
};
