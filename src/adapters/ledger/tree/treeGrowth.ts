/**
 * How an append group grows the ledger's tree: its leaves go onto the frontier, the complete
 * subtrees of at least TILE_LEAVES leaves they close become stored tiles, so do the groups of
 * GROUP_LEAVES leaves, and the new tree is signed as one checkpoint. All are stored in the
 * group's own transaction, so a stored event always has its checkpoint, and a proof reads its
 * path from stored roots and hashes at most GROUP_LEAVES leaves (those of its own group).
 */
import type { LedgerCheckpoint } from '../../../domain/ports.js';
import type { CheckpointSigner } from '../checkpoint/checkpointSigner.js';
import type { Hash } from '../merkle/rfc6962.js';
import type { TreeFrontier } from '../merkle/treeFrontier.js';

/** Subtrees of 2^TILE_LEVEL leaves and above are stored; smaller ones are hashed from leaf rows. */
export const TILE_LEVEL = 8;
export const TILE_LEAVES = 2 ** TILE_LEVEL;

/**
 * Below the tiles, the root of every complete group of 2^GROUP_LEVEL leaves is stored too, as a
 * tile of that level (about 3 bytes per event with its key). It spares a proof re-hashing the 256
 * leaves of its tile (the proof bench's cost); it is optional: a ledger written before it was
 * stored, or a group whose tile is missing, is proved from its leaves, which are the truth either way.
 */
export const GROUP_LEVEL = 4;
export const GROUP_LEAVES = 2 ** GROUP_LEVEL;

/** Whether closed subtrees of this level are stored. */
export const isStoredLevel = (level: number): boolean => level >= TILE_LEVEL || level === GROUP_LEVEL;

/** The root of the complete subtree of leaves [index·2^level, (index+1)·2^level). */
export interface Tile {
  readonly level: number;
  readonly index: number;
  readonly hash: Hash;
}

export interface GrownTree {
  readonly tiles: readonly Tile[];
  readonly checkpoint: LedgerCheckpoint;
}

/** Appends `leaves` to `frontier` (in place) and signs the tree it then holds. */
export const growTree = (frontier: TreeFrontier, leaves: readonly Hash[], time: number, signer: CheckpointSigner): GrownTree => {
  const tiles: Tile[] = [];
  for (const leaf of leaves) {
    const size = frontier.size + 1;
    frontier.append(leaf, (level, hash) => {
      if (isStoredLevel(level)) tiles.push({ level, index: size / 2 ** level - 1, hash });
    });
  }
  const root = frontier.root();
  const note = signer.sign({ size: frontier.size, root, time });
  return { tiles, checkpoint: { size: frontier.size, root: root.toString('hex'), time, note } };
};
