/**
 * Signed checkpoints and proof files: what the platform signs, the offline verifier accepts, and
 * it rejects a forged body, another key's signature, and a proof for an altered entry.
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCheckpointSigner } from '../../../../src/adapters/ledger/checkpoint/checkpointSigner.js';
import { loadOrCreateSigningKey } from '../../../../src/adapters/ledger/checkpoint/signingKeyFile.js';
import { inclusionPath, rootOf } from '../../../../src/adapters/ledger/merkle/proofBuilder.js';
import { leafHash, nodeHash, type Hash } from '../../../../src/adapters/ledger/merkle/rfc6962.js';
import { parseVerifierKey, verifyCheckpoint, verifyProofFile } from '../../../../src/proof-verifier/verifyProof.js';

/** PKCS#8 DER of an Ed25519 private key, before its 32-byte seed. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const signer = createCheckpointSigner('tickvault.test/ledger', generateKeyPairSync('ed25519').privateKey);
const key = () => {
  const k = parseVerifierKey(signer.verifierKey);
  if (!k.ok) throw new Error(k.reason);
  return k.key;
};

const mth = (leaves: readonly Hash[]): Hash => {
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
};

const proofFile = async (entries: readonly string[], index: number): Promise<string> => {
  const leaves = entries.map((e) => leafHash(e));
  const source = async (start: number, size: number) => mth(leaves.slice(start, start + size));
  const root = await rootOf(source, leaves.length);
  const path = await inclusionPath(source, index, leaves.length);
  const checkpoint = signer.sign({ size: leaves.length, root, time: 1_700_000_000_000 });
  return ['c2sp.org/tlog-proof@v1', `extra ${Buffer.from(entries[index]!).toString('base64')}`, `index ${index}`, ...path.map((h) => h.toString('base64')), '', checkpoint].join('\n');
};

describe('signed checkpoints', () => {
  it('property: the verifier key of any Ed25519 key parses back to that key, \'+\' in its base64 or not', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const s = createCheckpointSigner('tickvault.test/ledger', createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' }));
        const parsed = parseVerifierKey(s.verifierKey);
        expect(parsed.ok && parsed.key.name === 'tickvault.test/ledger').toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('verify with the signer\'s key and parse back to what was signed', () => {
    const root = leafHash('x');
    const verdict = verifyCheckpoint(signer.sign({ size: 42, root, time: 5 }), key());
    expect(verdict.ok && verdict.checkpoint.size === 42 && verdict.checkpoint.root.equals(root)).toBe(true);
    expect(verdict.ok && verdict.checkpoint.extensions).toEqual(['time 5']);
  });

  it('reject a forged size, a signature by another key, and a missing signature', () => {
    const note = signer.sign({ size: 42, root: leafHash('x'), time: 5 });
    expect(verifyCheckpoint(note.replace('\n42\n', '\n43\n'), key())).toMatchObject({ ok: false, reason: expect.stringMatching(/does not verify/) });
    const other = createCheckpointSigner('tickvault.test/ledger', generateKeyPairSync('ed25519').privateKey);
    expect(verifyCheckpoint(other.sign({ size: 42, root: leafHash('x'), time: 5 }), key())).toMatchObject({ ok: false, reason: expect.stringMatching(/no signature by/) });
    expect(verifyCheckpoint(note.slice(0, note.indexOf('\n\n') + 2), key()).ok).toBe(false);
  });
});

describe('proof files', () => {
  it('verify for any entry of any log, and fail once the entry bytes are altered', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 40 }).chain((es) => fc.tuple(fc.constant(es), fc.nat(es.length - 1))), async ([entries, index]) => {
        const file = await proofFile(entries, index);
        const verdict = verifyProofFile(file, signer.verifierKey);
        expect(verdict.ok).toBe(true);
        const altered = file.replace(/^extra .*$/m, `extra ${Buffer.from(entries[index]! + '!').toString('base64')}`);
        expect(verifyProofFile(altered, signer.verifierKey)).toMatchObject({ ok: false, reason: expect.stringMatching(/does not lead to the root/) });
      }),
      { numRuns: 50 },
    );
  });

  it('names what is wrong with a malformed file', () => {
    expect(verifyProofFile('hello', signer.verifierKey)).toMatchObject({ ok: false, reason: expect.stringMatching(/not a c2sp.org\/tlog-proof@v1/) });
    expect(verifyProofFile('c2sp.org/tlog-proof@v1\nindex x\n', signer.verifierKey)).toMatchObject({ ok: false, reason: expect.stringMatching(/index line/) });
    expect(verifyProofFile('c2sp.org/tlog-proof@v1\nindex 0\n', 'nonsense')).toMatchObject({ ok: false, reason: expect.stringMatching(/verifier key/) });
  });
});

describe('the signing key file', () => {
  it('is made once with mode 0600 and gives the same verifier key when loaded again', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tv-key-')), 'ledger-key.json');
    const first = loadOrCreateSigningKey(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSigningKey(file).verifierKey).toBe(first.verifierKey);
  });
});
