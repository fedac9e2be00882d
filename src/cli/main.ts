/** The `tickvault` command line. Exit codes: 0 ok, 1 failure (e.g. a broken ledger), 2 usage or configuration error. */
import { isInvalidInputError } from '../domain/errors.js';
import { loadConfig, type Config } from '../app/config.js';
import { helpText, parseCommandLine, type ParsedArgs } from './args.js';
import { runStart } from './commands/start.js';
import { runImport } from './commands/import.js';
import { runVerify } from './commands/verify.js';
import { runReplay } from './commands/replay.js';
import { runStack } from './commands/stack.js';
import { runDecode } from './commands/decode.js';
import { runRecompute } from './commands/recompute.js';

const commands: Record<string, (config: Config, args: ParsedArgs) => Promise<number>> = {
  start: runStart,
  import: runImport,
  verify: runVerify,
  replay: runReplay,
  stack: runStack,
  decode: runDecode,
  recompute: runRecompute,
};

const main = async (): Promise<number> => {
  let args: ParsedArgs;
  try {
    args = parseCommandLine(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`tickvault: ${e instanceof Error ? e.message : String(e)}\nRun \`tickvault --help\` for the flags.\n`);
    return 2;
  }
  const name = args.command ?? 'start';
  if (args.values['help'] === true || name === 'help') {
    process.stdout.write(helpText());
    return 0;
  }
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`tickvault: unknown command "${name}". Commands: ${Object.keys(commands).join(', ')}, help.\n`);
    return 2;
  }
  try {
    const config = loadConfig({ file: args.configFile, env: process.env, flags: args.settings });
    return await command(config, args);
  } catch (e) {
    if (isInvalidInputError(e)) {
      process.stderr.write(`tickvault: ${e.reason}\nRun \`tickvault --help\` for the flags.\n`);
      return 2;
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

