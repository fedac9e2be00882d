/**
 * The transparency-dev/merkle test vectors (../shared/data/rfc6962-vectors): every happy path
 * verifies and every tampered proof is rejected, by the offline verifier; and the proof builder
 * produces exactly the vectors' proofs over the RFC 6962 test leaves.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { consistencyPath, inclusionPath, rootOf, type SubtreeSource } from '../../src/adapters/ledger/merkle/proofBuilder.js';
import { leafHash, nodeHash, type Hash } from '../../src/adapters/ledger/merkle/rfc6962.js';
import { verifyConsistency, verifyInclusion } from '../../src/proof-verifier/verifyProof.js';
import { requireSharedData } from '../support/sharedData.js';

const data = requireSharedData('rfc6962-vectors/inclusion', 'rfc6962-vectors/consistency');

const jsonFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? jsonFiles(p) : name.endsWith('.json') ? [p] : [];
  });

const b64 = (s: string): Buffer => Buffer.from(s, 'base64');
const load = (kind: string) => (data.skip ? [] : jsonFiles(data.path(`rfc6962-vectors/${kind}`)));

interface InclusionCase { leafIdx: number; treeSize: number; root: string; leafHash: string; proof: string[] | null; desc: string; wantErr: boolean }
interface ConsistencyCase { size1: number; size2: number; root1: string; root2: string; proof: string[] | null; desc: string; wantErr: boolean }

/** The leaves the vectors' trees are built from (RFC 6962 test data, as used by transparency-dev). */
const TEST_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => leafHash(Buffer.from(h, 'hex')));

/** A subtree source over an in-memory list of leaf hashes, hashing from scratch every time. */
export const naiveSubtrees = (leaves: readonly Hash[]): SubtreeSource => {
  const mth = (start: number, size: number): Hash => (size === 1 ? leaves[start]! : nodeHash(mth(start, size / 2), mth(start + size / 2, size / 2)));
  return async (start, size) => mth(start, size);
};

describe('RFC 6962 vectors', () => {
  const inclusion = load('inclusion');
  const consistency = load('consistency');

  it.skipIf(data.skip)('has the vector files', () => {
    data.assertAvailable();
    expect(inclusion.length + consistency.length).toBeGreaterThanOrEqual(190);
  });

  it.skipIf(data.skip)('inclusion: the verifier accepts every happy path and rejects every tampered proof', () => {
    data.assertAvailable();
    for (const file of inclusion) {
      const c = JSON.parse(readFileSync(file, 'utf8')) as InclusionCase;
      const verdict = verifyInclusion(c.leafIdx, c.treeSize, b64(c.leafHash), (c.proof ?? []).map(b64), b64(c.root));
      expect(verdict.ok, `${path.relative(data.path('rfc6962-vectors'), file)}: ${c.desc}`).toBe(!c.wantErr);
    }
  });

  it.skipIf(data.skip)('consistency: the verifier accepts every happy path and rejects every tampered proof', () => {
    data.assertAvailable();
    for (const file of consistency) {
      const c = JSON.parse(readFileSync(file, 'utf8')) as ConsistencyCase;
      const verdict = verifyConsistency(c.size1, c.size2, (c.proof ?? []).map(b64), b64(c.root1), b64(c.root2));
      expect(verdict.ok, `${path.relative(data.path('rfc6962-vectors'), file)}: ${c.desc}`).toBe(!c.wantErr);
    }
  });

  it.skipIf(data.skip)('the proof builder produces the happy paths over the RFC 6962 test leaves', async () => {
    data.assertAvailable();
    let compared = 0;
    for (const file of inclusion.filter((f) => f.endsWith('happy-path.json'))) {
      const c = JSON.parse(readFileSync(file, 'utf8')) as InclusionCase;
      if (c.treeSize > TEST_LEAVES.length || !b64(c.leafHash).equals(TEST_LEAVES[c.leafIdx]!)) continue;
      const source = naiveSubtrees(TEST_LEAVES.slice(0, c.treeSize));
      expect((await rootOf(source, c.treeSize)).toString('base64')).toBe(c.root);
      expect((await inclusionPath(source, c.leafIdx, c.treeSize)).map((h) => h.toString('base64'))).toEqual(c.proof ?? []);
      compared++;
    }
    for (const file of consistency.filter((f) => f.endsWith('happy-path.json'))) {
      const c = JSON.parse(readFileSync(file, 'utf8')) as ConsistencyCase;
      if (c.size2 > TEST_LEAVES.length) continue;
      const source = naiveSubtrees(TEST_LEAVES);
      expect((await rootOf(source, c.size1)).toString('base64')).toBe(c.root1);
      expect((await consistencyPath(source, c.size1, c.size2)).map((h) => h.toString('base64'))).toEqual(c.proof ?? []);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(8);
  });
});
