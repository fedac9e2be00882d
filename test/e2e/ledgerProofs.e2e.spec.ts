/**
 * The ledger's transparency-log API on a real platform: public key, newest checkpoint, inclusion
 * and consistency proofs (each checked with the offline verifier, src/proof-verifier/verifyProof.ts),
 * clear 400s and 404s, and verification that runs in the background and continues from where the
 * last run got to.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/adapters/http/server.js';
import type { Config } from '../../src/app/config.js';
import type { Platform } from '../../src/app/platform.js';
import type { ConsistencyProof, InclusionProof, LedgerCheckpoint } from '../../src/domain/ports.js';
import { leafHashOf, parseVerifierKey, verifyCheckpoint, verifyConsistency, verifyInclusion } from '../../src/proof-verifier/verifyProof.js';
import { clusterStack } from '../support/clusterProfile.js';
import { issueKey, openTestPlatform, origin, trade, withKey, type KeyedClient } from '../support/platform.js';

const PROFILES: Array<{ name: string; skip: boolean; settings: () => Partial<Config> }> = [
  { name: 'embedded', skip: false, settings: () => ({}) },
  { name: 'cluster', skip: clusterStack.skip, settings: () => clusterStack.config() },
];

const hashes = (hex: readonly string[]): Buffer[] => hex.map((h) => Buffer.from(h, 'hex'));

describe.each(PROFILES)('ledger proofs API ($name platform)', ({ skip, settings }) => {
  if (skip) return void it.skip('needs the stack');
  let platform: Platform;
  let app: FastifyInstance;
  let api: KeyedClient;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ platform, cleanup } = await openTestPlatform(settings()));
    app = await buildServer(platform, { logger: false });
    // The ledger's routes are a compliance officer's.
    api = withKey(app, (await issueKey(platform, 'compliance')).key);
  });
  afterEach(async () => {
    await app.close();
    await cleanup();
  });

  const record = async (from: number, n: number) =>
    platform.commands.recordObservations({ origin, items: Array.from({ length: n }, (_, i) => trade(String(from + i), '100', 1_704_067_200_000 + from + i)) });
  const get = async <T>(url: string, status = 200): Promise<T> => {
    const r = await api.inject(url);
    expect(r.statusCode, `${url}: ${r.body}`).toBe(status);
    return r.json<T>();
  };

  it('serves the key and signed checkpoints, and proofs that verify offline', async () => {
    await record(0, 300);
    const older = await get<LedgerCheckpoint>('/api/v1/ledger/checkpoint');
    const last = await record(300, 40);
    const checkpoint = await get<LedgerCheckpoint>('/api/v1/ledger/checkpoint');
    expect(checkpoint.size).toBeGreaterThanOrEqual(last.lastPosition);
    const key = parseVerifierKey((await get<{ verifierKey: string }>('/api/v1/ledger/public-key')).verifierKey);
    if (!key.ok) throw new Error(key.reason);
    expect(verifyCheckpoint(checkpoint.note, key.key)).toMatchObject({ ok: true, checkpoint: { size: checkpoint.size } });

    const [event] = await platform.ledger.read(older.size - 1, 1);
    for (const url of [`/api/v1/ledger/proofs/inclusion?position=${event!.position}`, `/api/v1/ledger/proofs/inclusion?event=${event!.id}`]) {
      const proof = await get<InclusionProof>(url);
      expect(proof.checkpoint).toEqual(checkpoint);
      expect(verifyInclusion(proof.leafIndex, checkpoint.size, leafHashOf(Buffer.from(proof.eventBytes)), hashes(proof.path), Buffer.from(checkpoint.root, 'hex'))).toEqual({ ok: true });
    }
    const atOlder = await get<InclusionProof>(`/api/v1/ledger/proofs/inclusion?position=${event!.position}&treeSize=${older.size}`);
    expect(atOlder.checkpoint).toEqual(older);
    expect(verifyInclusion(atOlder.leafIndex, older.size, leafHashOf(Buffer.from(atOlder.eventBytes)), hashes(atOlder.path), Buffer.from(older.root, 'hex'))).toEqual({ ok: true });

    const consistency = await get<ConsistencyProof>(`/api/v1/ledger/proofs/consistency?from=${older.size}&to=${checkpoint.size}`);
    expect(verifyConsistency(older.size, checkpoint.size, hashes(consistency.path), Buffer.from(older.root, 'hex'), Buffer.from(checkpoint.root, 'hex'))).toEqual({ ok: true });
  });

  it('answers 400 for malformed questions and 404 for what the ledger does not hold', async () => {
    // One group of ten: the positions inside it are not checkpoints.
    const head = (await record(0, 10)).lastPosition;
    const bad: Array<[string, number, RegExp]> = [
      ['/api/v1/ledger/proofs/inclusion', 400, /one of position .* or event/],
      ['/api/v1/ledger/proofs/inclusion?position=1&event=x', 400, /one of position .* or event/],
      ['/api/v1/ledger/proofs/inclusion?position=abc', 400, /position: expected an integer from 1/],
      ['/api/v1/ledger/proofs/inclusion?position=-3', 400, /position: expected an integer from 1/],
      ['/api/v1/ledger/proofs/inclusion?position=1&treeSize=1.5', 400, /treeSize: expected an integer from 1/],
      ['/api/v1/ledger/proofs/consistency?from=1', 400, /from and to: required/],
      [`/api/v1/ledger/proofs/consistency?from=${head}&to=1`, 400, /smaller tree to a larger one/],
      [`/api/v1/ledger/proofs/inclusion?position=${head + 1_000}`, 404, /no event at position/],
      ['/api/v1/ledger/proofs/inclusion?event=no-such-event', 404, /no event with id/],
      [`/api/v1/ledger/proofs/consistency?from=${head - 1}&to=${head}`, 404, new RegExp(`no signed checkpoint of exactly ${head - 1} events`)],
    ];
    for (const [url, status, message] of bad) expect((await get<{ message: string }>(url, status)).message).toMatch(message);
  });

  it('verifies in the background, one run at a time, continuing from the last verified checkpoint', async () => {
    await record(0, 50);
    const first = await get<{ ok: boolean; lastVerified: { size: number; checkpoint: LedgerCheckpoint } }>('/api/v1/ledger/verify?wait=true');
    expect(first).toMatchObject({ ok: true, state: 'idle', failure: null });
    expect(first.lastVerified.size).toBeGreaterThanOrEqual(50);
    expect(first.lastVerified.checkpoint.size).toBe(first.lastVerified.size);
    const appended = await record(50, 20);
    // Two at once share one run.
    const [a, b] = [platform.verification.run(), platform.verification.run()];
    expect(a).toBe(b);
    expect(platform.verification.status().state).toBe('verifying');
    const result = await a;
    // Only what was appended since the last run is re-hashed.
    if (!result.ok) throw new Error(result.reason);
    expect(result.checked).toBe(result.verified.size - first.lastVerified.size);
    expect(result.verified.size).toBeGreaterThanOrEqual(appended.lastPosition);
    expect(platform.verification.status()).toMatchObject({ ok: true, state: 'idle', progress: null, lastVerified: { size: result.verified.size } });
  });
});
