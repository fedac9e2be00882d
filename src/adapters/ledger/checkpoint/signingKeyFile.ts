/**
 * The ledger's signing identity on disk: an Ed25519 private key and the log's origin, made on
 * first start (file mode 0600, never world-readable) unless the operator configures one.
 */
import { generateKeyPairSync, createPrivateKey, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createCheckpointSigner, type CheckpointSigner } from './checkpointSigner.js';

interface KeyFile {
  readonly origin: string;
  readonly privateKeyPem: string;
}

const read = (file: string): KeyFile => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`ledger signing key ${file} is not readable JSON (${(e as Error).message}): restore it from backup, or configure another key`);
  }
  const k = parsed as Partial<KeyFile>;
  if (typeof k.origin !== 'string' || typeof k.privateKeyPem !== 'string') {
    throw new Error(`ledger signing key ${file} needs "origin" and "privateKeyPem"`);
  }
  return { origin: k.origin, privateKeyPem: k.privateKeyPem };
};

/** Loads the key file, or makes one (a fresh key and a unique origin) when it does not exist yet. */
export const loadOrCreateSigningKey = (file: string, originPrefix = 'tickvault.local/ledger'): CheckpointSigner => {
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    const key: KeyFile = {
      origin: `${originPrefix}-${randomBytes(4).toString('hex')}`,
      privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    };
    writeFileSync(file, JSON.stringify(key, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  }
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) chmodSync(file, 0o600); // a key readable by others is not a secret: tighten it
  const k = read(file);
  return createCheckpointSigner(k.origin, createPrivateKey(k.privateKeyPem));
};
