/**
 * The root of a complete aligned subtree from what a ledger stores: a tile when the subtree has
 * at least TILE_LEAVES leaves, else from the stored roots of its 16-leaf groups (or, where a
 * ledger lacks them, its leaves) and, below 16 leaves, from its leaves. Missing storage is an
 * error that says which subtree: a proof is never built from a guess.
 */
import { createTreeFrontier } from '../merkle/treeFrontier.js';
import type { Hash } from '../merkle/rfc6962.js';
import { GROUP_LEAVES, GROUP_LEVEL, TILE_LEAVES } from './treeGrowth.js';

/** Whether the subtree [start, start + size) is read from a tile (else from its leaves). */
export const isTiled = (size: number): boolean => size >= TILE_LEAVES;

export const tileOf = (start: number, size: number): { level: number; index: number } => ({ level: Math.log2(size), index: start / size });

export const missingTile = (start: number, size: number): Error =>
  new Error(`the ledger stores no subtree hash for leaves ${start}..${start + size - 1}: run \`tickvault verify\``);

/** The root of a power-of-two count of complete, equal-sized subtree roots laid side by side. */
const rootOfRoots = (roots: readonly Hash[]): Hash => {
  const f = createTreeFrontier();
  for (const r of roots) f.append(r);
  return f.root();
};

/** The root of `size` leaves read from storage (size a power of two below TILE_LEAVES). */
export const rootOfLeaves = (start: number, size: number, leaves: readonly Hash[]): Hash => {
  if (leaves.length !== size) throw new Error(`the ledger stores ${leaves.length} of the leaves ${start}..${start + size - 1}: run \`tickvault verify\``);
  return rootOfRoots(leaves);
};

const GROUPS_PER_CHUNK = TILE_LEAVES / GROUP_LEAVES;
const HASH_BYTES = 32;
/** Chunks whose group roots are kept, in one 512-byte buffer each: 16,384 chunks ≈ 9 MB for 4 M leaves. */
const CACHED_CHUNKS = 16_384;
/** Groups whose leaves are kept: the lowest levels of the proofs asked lately. */
const CACHED_GROUPS = 256;

/** Keeps `value` as the most recently used entry (Map order: the first key is the one to drop). */
const keep = <K, V>(map: Map<K, V>, key: K, value: V, capacity: number): V => {
  map.delete(key);
  map.set(key, value);
  if (map.size > capacity) map.delete(map.keys().next().value!);
  return value;
};

export interface ChunkedSubtrees {
  /** The root of the complete subtree [start, start + size), size below TILE_LEAVES. */
  root(start: number, size: number): Promise<Hash>;
  /** Forgets the kept hashes (after storage was changed behind the ledger: tests, verify). */
  forget(): void;
}

/** The stored tiles that are a chunk's group roots: level GROUP_LEVEL, indexes from..to. */
export const groupTilesOf = (chunk: number): { level: number; from: number; to: number } => ({
  level: GROUP_LEVEL,
  from: chunk * GROUPS_PER_CHUNK,
  to: (chunk + 1) * GROUPS_PER_CHUNK - 1,
});

/** The chunk's group roots from its stored group tiles (any order), up to the first missing one. */
export const groupRootsFrom = (chunk: number, rows: readonly { idx: number | string; hash: Hash }[]): Hash[] => {
  const byIndex = new Map(rows.map((r) => [Number(r.idx), r.hash]));
  const roots: Hash[] = [];
  for (let i = chunk * GROUPS_PER_CHUNK; byIndex.has(i) && roots.length < GROUPS_PER_CHUNK; i++) roots.push(byIndex.get(i)!);
  return roots;
};

/** What a ledger stores below its tiles: leaves (recomputed from the events) and group roots. */
export interface BelowTiles {
  /** The leaves of positions (start, start + count] that are stored, in order. */
  leaves(start: number, count: number): Hash[] | Promise<Hash[]>;
  /** The stored group roots of a chunk, in order from its first group up to the first one missing. */
  groupRoots(chunk: number): Hash[] | Promise<Hash[]>;
}

/**
 * Roots of the subtrees below the tiles, from the roots of groups of GROUP_LEAVES leaves: a
 * subtree of 16 leaves or more is a few node hashes over group roots, one of fewer lies inside
 * the proof's own group, whose 16 leaves are hashed. A chunk's (256 leaves, one tile's) group
 * roots are read from storage the first time a proof reaches into it, or, where storage lacks
 * them (a ledger written before they were stored), recomputed from its leaves. Stored leaves never
 * change, so a complete group's root is kept for as long as memory allows; the tail chunk keeps
 * only its complete groups and is read again when a proof needs a group completed since.
 */
export const createChunkedSubtrees = (stored: BelowTiles): ChunkedSubtrees => {
  /** Per chunk, the roots of its complete groups side by side (one buffer: a Buffer per hash would weigh several times its 32 bytes). */
  const groupRoots = new Map<number, Buffer>();
  const groupLeaves = new Map<number, readonly Hash[]>();

  /** At least `needed` group roots of `chunk`, side by side; else its stored leaves, fewer than that covers. */
  const groupsOf = async (chunk: number, needed: number): Promise<{ roots: Buffer } | { leaves: readonly Hash[] }> => {
    const kept = groupRoots.get(chunk);
    if (kept !== undefined && kept.length >= needed * HASH_BYTES) return { roots: keep(groupRoots, chunk, kept, CACHED_CHUNKS) };
    const read = await stored.groupRoots(chunk);
    if (read.length >= needed) return { roots: keep(groupRoots, chunk, Buffer.concat(read), CACHED_CHUNKS) };
    const leaves = await stored.leaves(chunk * TILE_LEAVES, TILE_LEAVES);
    const roots: Hash[] = [];
    for (let g = 0; (g + 1) * GROUP_LEAVES <= leaves.length; g++) {
      const own = leaves.slice(g * GROUP_LEAVES, (g + 1) * GROUP_LEAVES);
      roots.push(rootOfRoots(own));
      keep(groupLeaves, chunk * GROUPS_PER_CHUNK + g, own, CACHED_GROUPS);
    }
    keep(groupRoots, chunk, Buffer.concat(roots), CACHED_CHUNKS);
    return roots.length >= needed ? { roots: groupRoots.get(chunk)! } : { leaves };
  };

  return {
    async root(start, size) {
      if (size >= GROUP_LEAVES) {
        const chunk = Math.floor(start / TILE_LEAVES);
        const offset = start - chunk * TILE_LEAVES;
        const first = offset / GROUP_LEAVES;
        const found = await groupsOf(chunk, first + size / GROUP_LEAVES);
        // Fewer leaves stored than asked for: rootOfLeaves says which are missing.
        if ('leaves' in found) return rootOfLeaves(start, size, found.leaves.slice(offset, offset + size));
        const roots: Hash[] = [];
        for (let g = first; g < first + size / GROUP_LEAVES; g++) roots.push(found.roots.subarray(g * HASH_BYTES, (g + 1) * HASH_BYTES));
        return rootOfRoots(roots);
      }
      const group = Math.floor(start / GROUP_LEAVES);
      const offset = start - group * GROUP_LEAVES;
      let leaves = groupLeaves.get(group);
      if (leaves === undefined || leaves.length < offset + size) leaves = await stored.leaves(group * GROUP_LEAVES, GROUP_LEAVES);
      keep(groupLeaves, group, leaves, CACHED_GROUPS);
      return rootOfLeaves(start, size, leaves.slice(offset, offset + size));
    },
    forget() {
      groupRoots.clear();
      groupLeaves.clear();
    },
  };
};
