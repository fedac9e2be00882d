/**
 * The subtree roots proofs take below the tiles, from the stored roots of 16-leaf groups where a
 * chunk has them and from its leaves where it does not: whatever the order of the asks and however
 * far the stored leaves reach when each chunk is first read (the tail chunk grows between asks),
 * every root is the root of exactly its own leaves, and a chunk is read again only when an ask
 * reaches past what was read of it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leafHash, type Hash } from '../../../../src/adapters/ledger/merkle/rfc6962.js';
import { createTreeFrontier } from '../../../../src/adapters/ledger/merkle/treeFrontier.js';
import { createChunkedSubtrees } from '../../../../src/adapters/ledger/tree/storedSubtree.js';
import { GROUP_LEAVES, TILE_LEAVES } from '../../../../src/adapters/ledger/tree/treeGrowth.js';

const rootOf = (leaves: readonly Hash[]): Hash => {
  const f = createTreeFrontier();
  for (const l of leaves) f.append(l);
  return f.root();
};

/** An aligned subtree below the tiles: size 2^k < TILE_LEAVES, start a multiple of it. */
const ask = fc.record({ k: fc.integer({ min: 0, max: Math.log2(TILE_LEAVES) - 1 }), slot: fc.nat({ max: 3 * TILE_LEAVES }), grow: fc.nat({ max: 300 }) });

describe('chunked subtrees', () => {
  it('property: every root is that of its own leaves, as the stored leaves grow between asks; a chunk is reread only when an ask reaches past it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(ask, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 3 * TILE_LEAVES }), fc.subarray([0, 1, 2, 3]), async (asks, initial, withGroupRoots) => {
        const all = Array.from({ length: 4 * TILE_LEAVES }, (_, i) => leafHash(`event ${i}`));
        let stored = initial;
        const reads: number[] = [];
        // Group roots are stored for some chunks only (a ledger written before they were): the rest come from leaves.
        const subtrees = createChunkedSubtrees({
          leaves(start, count) {
            reads.push(start);
            return all.slice(start, Math.min(start + count, stored));
          },
          groupRoots(chunk) {
            reads.push(chunk * TILE_LEAVES);
            if (!withGroupRoots.includes(chunk)) return [];
            const roots: Hash[] = [];
            for (let g = chunk * TILE_LEAVES; g + GROUP_LEAVES <= Math.min(stored, (chunk + 1) * TILE_LEAVES); g += GROUP_LEAVES) roots.push(rootOf(all.slice(g, g + GROUP_LEAVES)));
            return roots;
          },
        });
        for (const { k, slot, grow } of asks) {
          stored = Math.min(all.length, stored + grow);
          const size = 2 ** k;
          const start = Math.floor(slot / size) * size;
          if (start + size > stored) continue;
          const before = reads.length;
          expect((await subtrees.root(start, size)).equals(rootOf(all.slice(start, start + size)))).toBe(true);
          // The second ask of the same subtree reads nothing; the first reads group roots, then at most the leaves.
          await subtrees.root(start, size);
          expect(reads.length - before).toBeLessThanOrEqual(2);
        }
      }),
      { numRuns: 200 },
    );
  });
});
