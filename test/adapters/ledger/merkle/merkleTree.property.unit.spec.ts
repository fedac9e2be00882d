/**
 * The proof builder and the frontier against the offline verifier, for any tree: every inclusion
 * and consistency proof it builds verifies, any altered proof or wrong claim does not, and the
 * frontier's root (what a writer signs) equals the root computed from all the leaves.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consistencyPath, inclusionPath, rootOf, type SubtreeSource } from '../../../../src/adapters/ledger/merkle/proofBuilder.js';
import { leafHash, nodeHash, type Hash } from '../../../../src/adapters/ledger/merkle/rfc6962.js';
import { createTreeFrontier } from '../../../../src/adapters/ledger/merkle/treeFrontier.js';
import { verifyConsistency, verifyInclusion } from '../../../../src/proof-verifier/verifyProof.js';

const leavesOf = (n: number): Hash[] => Array.from({ length: n }, (_, i) => leafHash(`leaf ${i}`));

/** MTH straight from RFC 6962's definition: the reference every optimised path is held to. */
const referenceRoot = (leaves: readonly Hash[]): Hash => {
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
};

const subtreesOf = (leaves: readonly Hash[]): SubtreeSource => async (start, size) => referenceRoot(leaves.slice(start, start + size));

const flipBit = (h: Hash, bit: number): Hash => {
  const copy = Buffer.from(h);
  copy[Math.floor(bit / 8) % copy.length]! ^= 1 << (bit % 8);
  return copy;
};

const treeAndIndex = fc.integer({ min: 1, max: 300 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 })));

describe('Merkle proofs', () => {
  it('every inclusion proof verifies, and a flipped bit, another leaf or another index does not', async () => {
    await fc.assert(
      fc.asyncProperty(treeAndIndex, fc.nat(255), async ([n, index], bit) => {
        const leaves = leavesOf(n);
        const source = subtreesOf(leaves);
        const root = await rootOf(source, n);
        expect(root.equals(referenceRoot(leaves))).toBe(true);
        const path = await inclusionPath(source, index, n);
        expect(verifyInclusion(index, n, leaves[index]!, path, root).ok).toBe(true);
        expect(verifyInclusion(index, n, flipBit(leaves[index]!, bit), path, root).ok).toBe(false);
        if (path.length > 0) {
          const altered = path.map((h, i) => (i === bit % path.length ? flipBit(h, bit) : h));
          expect(verifyInclusion(index, n, leaves[index]!, altered, root).ok).toBe(false);
          expect(verifyInclusion((index + 1) % n, n, leaves[index]!, path, root).ok).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('every consistency proof verifies, and one between different histories does not', async () => {
    const sizes = fc.integer({ min: 1, max: 300 }).chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n)));
    await fc.assert(
      fc.asyncProperty(sizes, fc.nat(255), async ([m, n], bit) => {
        const leaves = leavesOf(n);
        const source = subtreesOf(leaves);
        const [oldRoot, newRoot] = [await rootOf(source, m), await rootOf(source, n)];
        const path = await consistencyPath(source, m, n);
        expect(verifyConsistency(m, n, path, oldRoot, newRoot).ok).toBe(true);
        // A rewritten history: the old tree's last leaf differs.
        const forked = [...leaves];
        forked[m - 1] = leafHash('rewritten');
        expect(verifyConsistency(m, n, path, oldRoot, await rootOf(subtreesOf(forked), n)).ok).toBe(false);
        if (path.length > 0) {
          const altered = path.map((h, i) => (i === bit % path.length ? flipBit(h, bit) : h));
          expect(verifyConsistency(m, n, altered, oldRoot, newRoot).ok).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('the frontier root equals the root of all leaves at every size, and resumes from its state', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 120 }), (n, cut) => {
        const leaves = leavesOf(n);
        let frontier = createTreeFrontier();
        leaves.forEach((leaf, i) => {
          if (i === Math.min(cut, n)) frontier = createTreeFrontier(frontier.state());
          frontier.append(leaf);
          expect(frontier.root().equals(referenceRoot(leaves.slice(0, i + 1)))).toBe(true);
        });
        expect(frontier.size).toBe(n);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a frontier state whose hashes do not fit its size, and impossible proofs', async () => {
    expect(() => createTreeFrontier({ size: 3, hashes: [leafHash('a')] })).toThrow(/size 3 has 2 subtree roots/);
    const source = subtreesOf(leavesOf(4));
    await expect(inclusionPath(source, 4, 4)).rejects.toThrow(/not in a tree of size 4/);
    await expect(consistencyPath(source, 5, 4)).rejects.toThrow(/from size 5 to size 4/);
  });
});
