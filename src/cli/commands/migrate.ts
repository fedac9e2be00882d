/**
 * `tickvault migrate`: re-records a ledger written in the hash-chain format of earlier versions
 * as a transparency log (app/profiles/migrateLedger.ts), with a progress bar per pass.
 */
import type { Config } from '../../app/config.js';
import { migrateProfileLedger } from '../../app/profiles/migrateLedger.js';
import type { ParsedArgs } from '../args.js';
import { createProgressBar } from '../progressBar.js';

export const runMigrate = (config: Config, _args: ParsedArgs): Promise<number> =>
  migrateProfileLedger(config, {
    progress: (label, total) => createProgressBar({ label, total, stream: process.stderr }),
    say: (line) => void process.stdout.write(line),
  });
