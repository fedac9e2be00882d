/**
 * The checkpoint signer tests give their ledgers: one fixed Ed25519 key (from a fixed seed), so
 * a reopened ledger and a ledger shared by several test processes sign with the same key.
 */
import { createPrivateKey } from 'node:crypto';
import { createCheckpointSigner, type CheckpointSigner } from '../../src/adapters/ledger/checkpoint/checkpointSigner.js';

/** PKCS#8 DER of an Ed25519 private key, before its 32-byte seed. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export const signerFromSeed = (origin: string, seed: string): CheckpointSigner =>
  createCheckpointSigner(origin, createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.from(seed.padEnd(32, '.').slice(0, 32))]), format: 'der', type: 'pkcs8' }));

export const TEST_LEDGER_SIGNER = signerFromSeed('tickvault.test/ledger', 'tickvault test ledger key');
