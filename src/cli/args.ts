/**
 * The command line's vocabulary: the commands, the flags of their own (the settings' flags come
 * from the settings table), and the parser. --help is written from the same tables (help.ts), so
 * what it lists is what the parser takes.
 */
import { parseArgs } from 'node:util';
import { CONFIG_FILE_ENV, type SettingName } from '../app/config.js';
import { SETTING_LIST } from '../app/settings/settings.js';

export interface CommandSpec {
  readonly usage: string;
  readonly summary: string;
  /** The settings the command reads: 'all', or the few it does (none: it takes no settings). */
  readonly settings: 'all' | readonly SettingName[];
}

export const COMMANDS = {
  start: { usage: 'tickvault start [settings]', summary: 'run the platform (HTTP API, dashboard, live source); the default command', settings: 'all' },
  import: { usage: 'tickvault import <files...> [settings]', summary: 'load Binance dump files / recordings into the ledger', settings: 'all' },
  verify: { usage: 'tickvault verify [--json] [settings]', summary: "recompute the ledger's tree and check every signed checkpoint; exit 1 naming the first bad position", settings: 'all' },
  ledger: { usage: 'tickvault ledger key [settings]', summary: "print the verifier key the ledger's checkpoints are signed with", settings: ['dataDir', 'ledgerKeyFile'] },
  proof: { usage: 'tickvault proof <event-id|position> [--out FILE] [settings]', summary: 'a tlog-proof file that the event is in the newest signed checkpoint', settings: 'all' },
  'verify-proof': { usage: 'tickvault verify-proof FILE --public-key KEY', summary: 'check a proof file offline (no platform, no database); exit 1 with the reason', settings: [] },
  migrate: { usage: 'tickvault migrate [settings]', summary: 're-record a ledger of the earlier hash-chain format as a transparency log (the old one is kept)', settings: 'all' },
  replay: { usage: 'tickvault replay --as-of T [--symbol S] [--day D] [--json] [settings]', summary: 'what the system knew at T, beside what is true now', settings: 'all' },
  recompute: { usage: 'tickvault recompute --symbol S --from D --to D [--engine ts|spark] [settings]', summary: "rebuild a symbol's batch views for UTC days; prints the new version", settings: 'all' },
  features: { usage: 'tickvault features export --symbol S --interval 1h|1d --from T --to T --out FILE.parquet [settings]', summary: "a symbol's feature store rows (docs/features.md) as a Parquet file", settings: 'all' },
  report: { usage: 'tickvault report --symbol S --from D --to D --pdf FILE [--url U] [--key K] [settings]', summary: "a symbol's historical and compliance reports over UTC days, printed to PDF by Chromium from a running platform's dashboard", settings: ['host', 'port', 'dataDir'] },
  stack: { usage: 'tickvault stack up|down|status [NAME...] [--json]', summary: 'install, start, stop or check the local servers (redis, postgres, kafka, hbase, spark)', settings: ['stackDir'] },
  keys: { usage: 'tickvault keys create --role R --name N | list | revoke ID [--reason WHY] [settings]', summary: 'make, list or revoke API keys (roles: viewer, trader, risk, compliance, admin); a new key is printed once', settings: 'all' },
  decode: { usage: 'tickvault decode --exchange binance|coinbase|kraken|bitstamp|gemini|okx|bybit|bitfinex', summary: 'wire messages (JSON lines: trades and book frames) on stdin → canonical events on stdout', settings: [] },
  backtest: {
    usage: "tickvault backtest --symbol S --interval 1m|5m|1h|1d --from T --to T --strategy '{...}' [--mode long-only|long-short] [--walk-forward TRAIN:TEST] [--model MODEL-ID] [--json] [settings]",
    summary: 'run a strategy (or a grid of them) on the merged candles through the job queue; records BacktestCompleted and prints the summary',
    settings: 'all',
  },
  models: {
    usage: 'tickvault models list [--symbol S] | train --symbol S --horizon 1h|24h [--kind K] [--from T --to T] [--training-seed N] [--engine E] | promote MODEL VERSION [--alias A] [--reason WHY] | score [--json] [settings]',
    summary: 'the model registry: list models, train one through the job queue (progress bar; records ModelTrained), point an alias (champion by default) at a version, score predictions whose horizon has passed',
    settings: 'all',
  },
} as const satisfies Record<string, CommandSpec>;
export type CommandName = keyof typeof COMMANDS;
export const isCommandName = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name);

/** Commands that read settings, and so take --config. */
const takesSettings = (spec: CommandSpec): boolean => spec.settings === 'all' || spec.settings.length > 0;
const WITH_SETTINGS = (Object.keys(COMMANDS) as CommandName[]).filter((c) => takesSettings(COMMANDS[c]));

export interface CommandFlag {
  readonly flag: string;
  readonly type: 'string' | 'boolean';
  readonly help: string;
  /** The commands it is for. */
  readonly commands: readonly CommandName[];
  readonly env?: string;
}

/** Flags that are not settings: what one run of one command is about. */
export const COMMAND_FLAGS: readonly CommandFlag[] = [
  { flag: 'config', type: 'string', help: 'JSON file of settings, like {"port": 8081}', env: CONFIG_FILE_ENV, commands: WITH_SETTINGS },
  { flag: 'as-of', type: 'string', help: 'the instant (ISO-8601 or epoch ms)', commands: ['replay'] },
  { flag: 'day', type: 'string', help: 'the event-time day (yyyy-mm-dd, UTC) as known at --as-of; default its own day', commands: ['replay'] },
  { flag: 'symbol', type: 'string', help: 'the symbol to replay (default: every symbol traded that day), to recompute, to backtest, to export features of or to train a model of', commands: ['replay', 'recompute', 'backtest', 'features', 'report', 'models'] },
  { flag: 'from', type: 'string', help: 'recompute, report: first UTC day, yyyy-mm-dd; backtest: the first bar\'s open; features, models train: the first bar (both ISO-8601 or epoch ms)', commands: ['recompute', 'backtest', 'features', 'report', 'models'] },
  { flag: 'to', type: 'string', help: 'recompute, report: last UTC day, yyyy-mm-dd (inclusive); backtest, features, models train: the end of the bars (exclusive)', commands: ['recompute', 'backtest', 'features', 'report', 'models'] },
  { flag: 'interval', type: 'string', help: 'the bars: 1m, 5m, 1h or 1d (features: 1h or 1d)', commands: ['backtest', 'features'] },
  { flag: 'strategy', type: 'string', help: 'JSON: {"kind":"sma-crossover","fast":[5,10],"slow":[20,50]}, rsi-thresholds (window, lower, upper), bollinger-breakout (window, k), follow-predictions (threshold; with --model); a list is a grid', commands: ['backtest'] },
  { flag: 'mode', type: 'string', help: 'long-only (default) or long-short', commands: ['backtest'] },
  { flag: 'walk-forward', type: 'string', help: 'TRAIN:TEST bars: optimise the grid on TRAIN bars, trade the next TEST, move on', commands: ['backtest'] },
  { flag: 'engine', type: 'string', help: 'recompute: ts or spark (default: the batchEngine setting); models train: the model engine (default: embedded)', commands: ['recompute', 'models'] },
  { flag: 'reason', type: 'string', help: 'why, recorded in the ledger', commands: ['recompute', 'keys', 'models'] },
  { flag: 'model', type: 'string', help: 'backtest with follow-predictions: the model whose recorded predictions it follows, MODEL-ID or MODEL-ID@VERSION', commands: ['backtest'] },
  { flag: 'horizon', type: 'string', help: 'models train: the forecast horizon, 1h, 24h or days like 7d', commands: ['models'] },
  { flag: 'kind', type: 'string', help: 'models train: return-regression (GBT, default) or trend-classification (random forest)', commands: ['models'] },
  { flag: 'training-seed', type: 'string', help: 'models train: the seed (default 42): the same bars, seed and engine give the same model hash', commands: ['models'] },
  { flag: 'alias', type: 'string', help: 'models promote: the alias to point (default champion)', commands: ['models'] },
  { flag: 'role', type: 'string', help: 'the role of a new key: viewer, trader, risk, compliance or admin', commands: ['keys'] },
  { flag: 'name', type: 'string', help: 'what a new key is for or whose it is (recorded in the ledger)', commands: ['keys'] },
  { flag: 'exchange', type: 'string', help: 'whose wire format stdin holds: binance, coinbase, kraken, bitstamp, gemini, okx, bybit or bitfinex', commands: ['decode'] },
  { flag: 'out', type: 'string', help: 'proof: the file to write the proof to (default: standard output); features: the Parquet file to write', commands: ['proof', 'features'] },
  { flag: 'pdf', type: 'string', help: 'the PDF file to write', commands: ['report'] },
  { flag: 'url', type: 'string', help: 'the running platform to print from (default: http://<host>:<port>/ of the settings)', commands: ['report'] },
  { flag: 'key', type: 'string', help: 'an API key with the compliance role, for the compliance report (default: $TICKVAULT_KEY, else the admin key in the data folder when readable)', commands: ['report'] },
  { flag: 'public-key', type: 'string', help: "the ledger's verifier key (from `tickvault ledger key`), or a file holding it", commands: ['verify-proof'] },
  { flag: 'json', type: 'boolean', help: 'print JSON instead of text', commands: ['replay', 'verify', 'stack', 'backtest', 'models'] },
  { flag: 'help', type: 'boolean', help: 'show the help of the command (or of all: tickvault help)', commands: Object.keys(COMMANDS) as CommandName[] },
];

export interface ParsedArgs {
  readonly command: string | undefined;
  readonly positionals: string[];
  /** Setting flags as written, by setting name; config.ts reads and validates them. */
  readonly settings: Partial<Record<SettingName, string>>;
  readonly configFile: string | undefined;
  readonly values: Record<string, string | boolean | undefined>;
}

export const parseCommandLine = (argv: readonly string[]): ParsedArgs => {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [, spec] of SETTING_LIST) options[spec.flag] = { type: 'string' };
  for (const f of COMMAND_FLAGS) options[f.flag] = { type: f.type };
  const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  const vals = values as Record<string, string | boolean | undefined>;
  const settings: Partial<Record<SettingName, string>> = {};
  for (const [name, spec] of SETTING_LIST) {
    const v = vals[spec.flag];
    if (typeof v === 'string') settings[name] = v;
  }
  return {
    command: positionals[0],
    positionals: positionals.slice(1),
    settings,
    configFile: typeof vals['config'] === 'string' ? vals['config'] : undefined,
    values: vals,
  };
};
