/**
 * `--help`, written from the tables the parser and the config loader use (COMMANDS, COMMAND_FLAGS
 * in args.ts, the settings table), so it lists exactly what they take: `tickvault --help` or
 * `tickvault help` for everything, `tickvault CMD --help` or `tickvault help CMD` for one command.
 */
import { CONFIG_FILE_ENV } from '../app/config.js';
import { SETTING_GROUPS, SETTING_LIST, defaultText, type SettingGroup } from '../app/settings/settings.js';
import { COMMANDS, COMMAND_FLAGS, type CommandName } from './args.js';

const INDENT = 34;
const line = (flag: string, text: string): string => `  ${`--${flag}`.padEnd(INDENT - 3)} ${text}`;
const continued = (text: string): string => `${' '.repeat(INDENT)}${text}`;

const EXAMPLES = `Examples:
  npm start                                           simulator, http://127.0.0.1:8080
  npm start -- --source replay --files ../shared/data/binance-spot-klines-1m-2023-02/BTCUSDT-1m-2023-02-01.csv --speed 60
  npm start -- --source binance --symbols BTC-USDT,ETH-USDT     live Binance trades and 1m klines
  npm start -- --source coinbase,coingecko --symbols BTC-USD    several sources at once
  npx tickvault verify --data-dir .data
  npx tickvault replay --as-of 2024-01-01T00:30:00Z --symbol BTC-USDT
  npx tickvault stack up                              local Redis + PostgreSQL (+ the other servers), then:
  npm start -- --profile cluster                      PostgreSQL ledger, Redis live views and fan-out, BullMQ jobs
  npx tickvault start --profile cluster --roles api --port 8081     one part per process: api, ingest, live, batch, alerts, relay, jobs
  npx tickvault decode --exchange coinbase < matches.jsonl > trades.jsonl
  npx tickvault recompute --profile cluster --engine spark --symbol BTC-USDT --from 2024-08-08 --to 2024-08-09`;

const commandFlagLines = (command: CommandName | undefined): string[] =>
  COMMAND_FLAGS.filter((f) => command === undefined || f.commands.includes(command)).map((f) =>
    line(f.flag, `${f.help}${f.env === undefined ? '' : ` [env ${f.env}]`}${command === undefined && f.flag !== 'help' ? ` (${f.commands.join(', ')})` : ''}`),
  );

/** The settings section: every setting of `only` (all when undefined), by group, two lines each. */
const settingLines = (only: readonly string[] | 'all'): string[] => {
  const out = [`Settings (defaults < a --config JSON file or ${CONFIG_FILE_ENV} < environment < flags; an empty variable counts as unset):`];
  for (const group of Object.keys(SETTING_GROUPS) as SettingGroup[]) {
    const settings = SETTING_LIST.filter(([name, spec]) => spec.group === group && (only === 'all' || only.includes(name)));
    if (settings.length === 0) continue;
    out.push(` ${SETTING_GROUPS[group]}`);
    for (const [name, spec] of settings) {
      out.push(line(spec.flag, spec.help));
      out.push(continued(`${spec.kind.range}; default ${defaultText(spec)}; ${spec.env === undefined ? '' : `env ${spec.env}; `}config file key ${name}`));
    }
  }
  return out;
};

const overview = (): string => {
  const usage = Object.values(COMMANDS).flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]);
  return [
    'tickvault: crypto market intelligence on an event-sourced, hash-chained ledger',
    '',
    'Usage:',
    ...usage,
    '  tickvault help [COMMAND]',
    "      this text, or one command's (the same as tickvault COMMAND --help)",
    '',
    EXAMPLES,
    '',
    'Flags of the commands:',
    ...commandFlagLines(undefined),
    '',
    ...settingLines('all'),
    '',
  ].join('\n');
};

const ofCommand = (command: CommandName): string => {
  const spec = COMMANDS[command];
  const settings = spec.settings === 'all' || spec.settings.length > 0 ? ['', ...settingLines(spec.settings)] : ['', 'It takes no settings.'];
  return [
    `Usage: ${spec.usage}`,
    `  ${spec.summary}`,
    ...(command === 'start' ? ['', EXAMPLES] : []),
    '',
    'Flags:',
    ...commandFlagLines(command),
    ...settings,
    '',
    'Every command: tickvault help',
    '',
  ].join('\n');
};

/** The help of one command, or of everything when `command` is undefined. */
export const helpText = (command?: CommandName): string => (command === undefined ? overview() : ofCommand(command));
