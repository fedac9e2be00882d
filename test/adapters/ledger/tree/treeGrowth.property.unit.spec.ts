/**
 * What a ledger stores per append group, for any sequence of group sizes: the tiles growTree
 * reports are exactly the complete aligned subtrees of 16 leaves, and of 256 leaves and more, that the group closes,
 * each with the root RFC 6962 defines; the checkpoint is signed over the root of every leaf so
 * far; the verifier's tile look-up ranges hold exactly the tiles that end in a page; the head
 * row's frontier bytes and the tlog-proof text read back to what was written.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frontierBytes, frontierHashes } from '../../../../src/adapters/ledger/postgres/decideGroup.js';
import { leafHash, nodeHash, type Hash } from '../../../../src/adapters/ledger/merkle/rfc6962.js';
import { createTreeFrontier } from '../../../../src/adapters/ledger/merkle/treeFrontier.js';
import { tlogProofText } from '../../../../src/read-models/tlogProof.js';
import { GROUP_LEAVES, growTree, TILE_LEAVES } from '../../../../src/adapters/ledger/tree/treeGrowth.js';
import { tileRangesEndingIn } from '../../../../src/adapters/ledger/tree/treeVerifier.js';
import { parseTlogProof, parseVerifierKey, verifyCheckpoint } from '../../../../src/proof-verifier/verifyProof.js';
import { TEST_LEDGER_SIGNER } from '../../../support/ledgerSigner.js';

const referenceRoot = (leaves: readonly Hash[]): Hash => {
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
};

const key = (() => {
  const k = parseVerifierKey(TEST_LEDGER_SIGNER.verifierKey);
  if (!k.ok) throw new Error(k.reason);
  return k.key;
})();

/** The subtree sizes stored up to n leaves: groups of GROUP_LEAVES, then TILE_LEAVES and every power of two above. */
const storedSizes = (n: number): number[] => {
  const sizes = GROUP_LEAVES <= n ? [GROUP_LEAVES] : [];
  for (let size = TILE_LEAVES; size <= n; size *= 2) sizes.push(size);
  return sizes;
};

describe('tree growth per append group', () => {
  it('property: tiles are exactly the closed subtrees of 16 leaves and of ≥ 256 leaves, with their RFC 6962 roots; the checkpoint signs the whole tree', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 5 }), (groups) => {
        const frontier = createTreeFrontier();
        const leaves: Hash[] = [];
        for (const n of groups) {
          const before = leaves.length;
          const added = Array.from({ length: n }, (_, i) => leafHash(`event ${before + i}`));
          leaves.push(...added);
          const { tiles, checkpoint } = growTree(frontier, added, 1_700_000_000_000 + before, TEST_LEDGER_SIGNER);
          const expected: string[] = [];
          for (const size of storedSizes(leaves.length)) {
            for (let end = size; end <= leaves.length; end += size) if (end > before) expected.push(`${Math.log2(size)}/${end / size - 1}`);
          }
          expect(tiles.map((t) => `${t.level}/${t.index}`).sort()).toEqual(expected.sort());
          for (const t of tiles) expect(t.hash.equals(referenceRoot(leaves.slice(t.index * 2 ** t.level, (t.index + 1) * 2 ** t.level)))).toBe(true);
          const signed = verifyCheckpoint(checkpoint.note, key);
          if (!signed.ok) throw new Error(signed.reason);
          expect(signed.checkpoint.size).toBe(leaves.length);
          expect(signed.checkpoint.root.equals(referenceRoot(leaves))).toBe(true);
          expect(checkpoint.root).toBe(signed.checkpoint.root.toString('hex'));
          // The head row's bytes resume the same frontier.
          expect(createTreeFrontier({ size: leaves.length, hashes: frontierHashes(frontierBytes(frontier)) }).root().equals(frontier.root())).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('property: a page (after, through] looks up exactly the tiles that end inside it', () => {
    fc.assert(
      fc.property(fc.nat(5_000), fc.integer({ min: 1, max: 5_000 }), (after, length) => {
        const through = after + length;
        const looked = new Set(tileRangesEndingIn(after, through).flatMap((r) => Array.from({ length: r.to - r.from + 1 }, (_, i) => `${r.level}/${r.from + i}`)));
        const expected = new Set<string>();
        for (const size of storedSizes(through)) for (let end = size; end <= through; end += size) if (end > after) expected.add(`${Math.log2(size)}/${end / size - 1}`);
        expect(looked).toEqual(expected);
      }),
    );
  });

  it('property: a tlog-proof file reads back as the proof it was written from', () => {
    const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));
    fc.assert(
      fc.property(fc.string(), fc.nat(1_000_000), fc.array(hex32, { maxLength: 30 }), (eventBytes, leafIndex, path) => {
        const note = TEST_LEDGER_SIGNER.sign({ size: leafIndex + 1, root: Buffer.alloc(32, 1), time: 1 });
        const checkpoint = { size: leafIndex + 1, root: '01'.repeat(32), time: 1, note };
        const parsed = parseTlogProof(tlogProofText({ position: leafIndex + 1, leafIndex, eventBytes, path, checkpoint }));
        if (!parsed.ok) throw new Error(parsed.reason);
        expect(parsed.proof.extra?.toString('utf8')).toBe(Buffer.from(eventBytes, 'utf8').toString('utf8'));
        expect(parsed.proof.index).toBe(leafIndex);
        expect(parsed.proof.path.map((h) => h.toString('hex'))).toEqual(path);
        expect(parsed.proof.checkpointNote).toBe(note);
      }),
    );
  });
});
