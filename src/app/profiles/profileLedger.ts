/** The ledger alone, of the configured profile: for CLI commands that only read it (verify, replay). */
import { existsSync } from 'node:fs';
import { openSqliteLedger } from '../../adapters/ledger/sqlite/sqliteLedger.js';
import { systemClock } from '../../adapters/system/systemClock.js';
import { InvalidInputError } from '../../domain/errors.js';
import type { Clock, Ledger } from '../../domain/ports.js';
import type { Config } from '../config.js';
import { openClusterLedger } from './cluster.js';
import { embeddedLedgerFile } from './embedded.js';
import { ledgerSignerOf } from './ledgerSigner.js';

export const openProfileLedger = async (config: Config, clock: Clock = systemClock): Promise<Ledger> => {
  if (config.profile === 'cluster') return openClusterLedger(config, clock);
  const file = embeddedLedgerFile(config);
  if (!existsSync(file)) throw new InvalidInputError(`no ledger at ${file}: pass the data folder with --data-dir (or --profile cluster for the PostgreSQL ledger)`);
  return openSqliteLedger({ path: file, clock, signer: ledgerSignerOf(config) });
};
