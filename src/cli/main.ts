/** The `tickvault` command line. Exit codes: 0 ok, 1 failure (e.g. a broken ledger), 2 usage or configuration error. */
import { isInvalidInputError, isNotFoundError } from '../domain/errors.js';
import { loadConfig, type Config } from '../app/config.js';
import { isCommandName, parseCommandLine, type CommandName, type ParsedArgs } from './args.js';
import { helpText } from './help.js';
import { runStart } from './commands/start.js';
import { runImport } from './commands/import.js';
import { runVerify } from './commands/verify.js';
import { runReplay } from './commands/replay.js';
import { runStack } from './commands/stack.js';
import { runDecode } from './commands/decode.js';
import { runRecompute } from './commands/recompute.js';
import { runLedger } from './commands/ledger.js';
import { runMigrate } from './commands/migrate.js';
import { runProof } from './commands/proof.js';
import { runVerifyProof } from './commands/verifyProof.js';
import { runKeys } from './commands/keys.js';
import { runBacktestCommand } from './commands/backtest.js';
import { runFeatures } from './commands/features.js';
import { runReport } from './commands/report.js';
import { runModels } from './commands/models.js';

const commands: Record<CommandName, (config: Config, args: ParsedArgs) => Promise<number>> = {
  start: runStart,
  import: runImport,
  verify: runVerify,
  ledger: runLedger,
  proof: runProof,
  'verify-proof': runVerifyProof,
  migrate: runMigrate,
  replay: runReplay,
  stack: runStack,
  decode: runDecode,
  recompute: runRecompute,
  keys: runKeys,
  backtest: runBacktestCommand,
  features: runFeatures,
  report: runReport,
  models: runModels,
};

const main = async (): Promise<number> => {
  let args: ParsedArgs;
  try {
    args = parseCommandLine(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`tickvault: ${e instanceof Error ? e.message : String(e)}\nRun \`tickvault --help\` for the flags.\n`);
    return 2;
  }
  // `tickvault help [CMD]`, `tickvault [CMD] --help`: CMD's help, or everything's without one.
  const wantsHelp = args.command === 'help' || args.values['help'] === true;
  const name = args.command === 'help' ? args.positionals[0] : (args.command ?? (wantsHelp ? undefined : 'start'));
  if (name !== undefined && !isCommandName(name)) {
    process.stderr.write(`tickvault: unknown command "${name}". Commands: ${Object.keys(commands).join(', ')}, help.\n`);
    return 2;
  }
  if (wantsHelp || name === undefined) {
    process.stdout.write(helpText(name));
    return 0;
  }
  const command = commands[name];
  try {
    const config = loadConfig({ file: args.configFile, env: process.env, flags: args.settings });
    return await command(config, args);
  } catch (e) {
    if (isInvalidInputError(e)) {
      process.stderr.write(`tickvault: ${e.reason}\nRun \`tickvault ${name} --help\` for its flags and settings.\n`);
      return 2;
    }
    if (isNotFoundError(e)) {
      process.stderr.write(`tickvault: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`tickvault: failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);

