/**
 * The root of a complete aligned subtree from what a ledger stores: a tile when the subtree has
 * at least TILE_LEAVES leaves, else the hash of its leaf rows (fewer than TILE_LEAVES of them).
 * Missing storage is an error that says which subtree: a proof is never built from a guess.
 */
import { createTreeFrontier } from '../merkle/treeFrontier.js';
import type { Hash } from '../merkle/rfc6962.js';
import { TILE_LEAVES } from './treeGrowth.js';

/** Whether the subtree [start, start + size) is read from a tile (else from its leaves). */
export const isTiled = (size: number): boolean => size >= TILE_LEAVES;

export const tileOf = (start: number, size: number): { level: number; index: number } => ({ level: Math.log2(size), index: start / size });

export const missingTile = (start: number, size: number): Error =>
  new Error(`the ledger stores no subtree hash for leaves ${start}..${start + size - 1}: run \`tickvault verify\``);

/** The root of `size` leaves read from storage (size a power of two below TILE_LEAVES). */
export const rootOfLeaves = (start: number, size: number, leaves: readonly Hash[]): Hash => {
  if (leaves.length !== size) throw new Error(`the ledger stores ${leaves.length} of the leaves ${start}..${start + size - 1}: run \`tickvault verify\``);
  const f = createTreeFrontier();
  for (const l of leaves) f.append(l);
  return f.root();
};

/** Chunks of leaves kept by a ledger's proofs: 64 chunks of 256 leaves, about 2 MB. */
const CACHED_CHUNKS = 64;

export interface ChunkedSubtrees {
  /** The root of the complete subtree [start, start + size), size below TILE_LEAVES. */
  root(start: number, size: number): Promise<Hash>;
  /** Forgets the kept leaves (after storage was changed behind the ledger: tests, verify). */
  forget(): void;
}

/**
 * Roots of the subtrees below the tiles, from leaves recomputed a whole chunk at a time (the 256
 * leaves one tile covers) and kept for the next proof. Every such subtree of one inclusion proof
 * lies in the chunk of its leaf or in the tree's last chunk, so a proof reads their blocks and
 * hashes their leaves once, where it used to read a block and hash leaves once per level of the
 * path. `read(start, count)` answers the leaves of positions (start, start + count] that are
 * stored, in order; stored leaves never change, so a chunk's leaves are kept as far as they were
 * stored when read, and read again only when a proof needs further into it.
 */
export const createChunkedSubtrees = (read: (start: number, count: number) => Hash[] | Promise<Hash[]>): ChunkedSubtrees => {
  const chunks = new Map<number, readonly Hash[]>();
  return {
    async root(start, size) {
      const chunk = Math.floor(start / TILE_LEAVES);
      const offset = start - chunk * TILE_LEAVES;
      let leaves = chunks.get(chunk);
      if (leaves === undefined || leaves.length < offset + size) leaves = await read(chunk * TILE_LEAVES, TILE_LEAVES);
      // Most recently used last: the first key is the one to drop.
      chunks.delete(chunk);
      chunks.set(chunk, leaves);
      if (chunks.size > CACHED_CHUNKS) chunks.delete(chunks.keys().next().value!);
      return rootOfLeaves(start, size, leaves.slice(offset, offset + size));
    },
    forget: () => chunks.clear(),
  };
};
