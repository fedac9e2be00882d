/**
 * `tickvault stack up|down|status [NAME...]`: the local stack (deploy/local/), the same script
 * `npm run stack` runs. It is a separate Node program so it works without a build and without
 * the platform's dependencies; this command only hands the arguments over and returns its exit code.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../app/config.js';
import type { ParsedArgs } from '../args.js';

// src/cli/commands and dist/cli/commands are both three levels below the repository root.
const script = fileURLToPath(new URL('../../../deploy/local/stack.mjs', import.meta.url));

export const runStack = async (config: Config, args: ParsedArgs): Promise<number> => {
  if (!existsSync(script)) {
    process.stderr.write(`tickvault stack: ${script} is missing; the stack scripts ship with the repository, not the npm package\n`);
    return 2;
  }
  const argv = [...args.positionals, ...(args.values['json'] === true ? ['--json'] : [])];
  const child = spawn(process.execPath, [script, ...argv], { stdio: 'inherit', env: { ...process.env, TICKVAULT_STACK_DIR: config.stackDir } });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
};
