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
