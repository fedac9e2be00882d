/**
 * `tickvault ledger key`, `tickvault proof` and `tickvault verify-proof` as a user runs them: a
 * proof file written from a data folder verifies offline against the printed key, and an altered
 * proof, another ledger's key or a missing file are refused with the reason and a non-zero exit.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey } from '../../src/adapters/ledger/checkpoint/signingKeyFile.js';
import { openSqliteLedger } from '../../src/adapters/ledger/sqlite/sqliteLedger.js';
import { systemClock } from '../../src/adapters/system/systemClock.js';
import { runTickvault } from '../support/tickvaultProcess.js';

/** Each run starts a TypeScript process: seconds apiece on a busy machine. */
const CLI_TIMEOUT = 180_000;

const tickvault = async (...args: string[]) => {
  const r = await runTickvault(args);
  return { code: r.code, out: r.stdout, err: r.stderr };
};

describe('tickvault ledger key, proof and verify-proof', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-proof-cli-'));
  const proofFile = path.join(dir, 'proof.txt');
  let eventId = '';
  let verifierKey = '';

  beforeAll(async () => {
    // The key file the CLI reads by default: ledger-key.json in the data folder.
    const ledger = openSqliteLedger({ path: path.join(dir, 'ledger.sqlite'), clock: systemClock, signer: loadOrCreateSigningKey(path.join(dir, 'ledger-key.json')) });
    const meta = { actor: 'test', correlationId: 'c', causationId: null, source: 'test' };
    for (let g = 0; g < 3; g++) {
      const r = await ledger.append(Array.from({ length: 100 }, (_, i) => ({ id: `e-${g}-${i}`, type: 'Noted', schemaVersion: 1, stream: 's', data: { g, i }, meta })));
      eventId = r.appended[41]!.id;
    }
    await ledger.close();
    const key = await tickvault('ledger', 'key', '--data-dir', dir);
    expect(key.code).toBe(0);
    verifierKey = key.out.trim();
  }, CLI_TIMEOUT);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a proof that verifies offline against the printed key; by position and by event id', async () => {
    expect(verifierKey).toMatch(/^tickvault\.local\/ledger-[0-9a-f]{8}\+[0-9a-f]{8}\+\S+$/);

    expect((await tickvault('proof', '150', '--out', proofFile, '--data-dir', dir)).code).toBe(0);
    const ok = await tickvault('verify-proof', proofFile, '--public-key', verifierKey);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^proof OK: entry 149 \(ledger position 150\) is in the tree of 300 events/);
    expect(ok.out).toContain('"id":"e-1-49"');

    const byId = await tickvault('proof', eventId, '--data-dir', dir);
    expect(byId.code).toBe(0);
    const keyFile = path.join(dir, 'key.txt');
    writeFileSync(keyFile, verifierKey);
    writeFileSync(proofFile, byId.out);
    expect((await tickvault('verify-proof', proofFile, '--public-key', keyFile)).out).toMatch(/ledger position 242\).*\n.*"id":"e-2-41"/);
  }, CLI_TIMEOUT);

  it('refuses an altered proof, another key, and a proof for an event that is not there, each with the reason', async () => {
    expect((await tickvault('proof', '7', '--out', proofFile, '--data-dir', dir)).code).toBe(0);
    const lines = readFileSync(proofFile, 'utf8').split('\n');
    const altered = path.join(dir, 'altered.txt');
    // Another entry in the extra line: the proof no longer leads to the signed root.
    writeFileSync(altered, [lines[0], `extra ${Buffer.from('{"forged":true}').toString('base64')}`, ...lines.slice(2)].join('\n'));
    const forged = await tickvault('verify-proof', altered, '--public-key', verifierKey);
    expect(forged.code).toBe(1);
    expect(forged.out).toMatch(/proof REJECTED: .*root/);

    const otherDir = mkdtempSync(path.join(os.tmpdir(), 'tv-proof-other-'));
    const otherKey = loadOrCreateSigningKey(path.join(otherDir, 'ledger-key.json')).verifierKey;
    rmSync(otherDir, { recursive: true, force: true });
    const wrongKey = await tickvault('verify-proof', proofFile, '--public-key', otherKey);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.out).toMatch(/proof REJECTED: the checkpoint carries no signature by/);

    const missing = await tickvault('proof', '301', '--data-dir', dir);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toMatch(/no event at position 301/);
    expect((await tickvault('verify-proof', proofFile)).err).toMatch(/--public-key/);
  }, CLI_TIMEOUT);
});
