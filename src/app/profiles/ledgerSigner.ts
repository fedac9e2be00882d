/**
 * The ledger's checkpoint signer of a configuration: the key file it names, or ledger-key.json
 * in the data folder, made on first start (mode 0600). Every process that appends to one ledger
 * must sign with the same key: in the cluster profile, configure one shared key file.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { CheckpointSigner } from '../../adapters/ledger/checkpoint/checkpointSigner.js';
import { loadOrCreateSigningKey } from '../../adapters/ledger/checkpoint/signingKeyFile.js';
import type { Config } from '../config.js';

export const ledgerKeyFileOf = (config: Config): string => (config.ledgerKeyFile !== '' ? config.ledgerKeyFile : path.join(config.dataDir, 'ledger-key.json'));

export const ledgerSignerOf = (config: Config): CheckpointSigner => {
  const file = ledgerKeyFileOf(config);
  mkdirSync(path.dirname(file), { recursive: true });
  return loadOrCreateSigningKey(file);
};
