/**
 * The right edge of an append-only RFC 6962 tree: the roots of its complete subtrees, largest
 * first (one per set bit of the size, like a binary counter). Appending is amortised O(1) hashes
 * and the root is O(log n), so a writer can sign a checkpoint after every append group without
 * reading anything back. Its state is small enough to store beside each block and resume from.
 */
import { EMPTY_ROOT, nodeHash, type Hash } from './rfc6962.js';

export interface FrontierState {
  readonly size: number;
  /** Complete-subtree roots, largest (leftmost) first. */
  readonly hashes: readonly Hash[];
}

/** Told of every complete subtree an append closes: its height (log2 of its leaves) and root. */
export type SubtreeClosed = (level: number, root: Hash) => void;

export interface TreeFrontier {
  append(leaf: Hash, closed?: SubtreeClosed): void;
  readonly size: number;
  root(): Hash;
  state(): FrontierState;
}

const popcount = (n: number): number => {
  let c = 0;
  for (let x = n; x > 0; x = Math.floor(x / 2)) c += x % 2;
  return c;
};

export const createTreeFrontier = (from: FrontierState = { size: 0, hashes: [] }): TreeFrontier => {
  if (popcount(from.size) !== from.hashes.length) {
    throw new Error(`a frontier of size ${from.size} has ${popcount(from.size)} subtree roots, not ${from.hashes.length}`);
  }
  const stack: Hash[] = [...from.hashes];
  let size = from.size;
  return {
    append(leaf, closed) {
      let h = leaf;
      // Each trailing 1-bit of the old size is a complete subtree the new leaf now closes.
      let level = 0;
      for (let s = size; s % 2 === 1; s = Math.floor(s / 2)) {
        h = nodeHash(stack.pop()!, h);
        closed?.(++level, h);
      }
      stack.push(h);
      size++;
    },
    get size() {
      return size;
    },
    root() {
      if (stack.length === 0) return EMPTY_ROOT;
      let h = stack[stack.length - 1]!;
      for (let i = stack.length - 2; i >= 0; i--) h = nodeHash(stack[i]!, h);
      return h;
    },
    state: () => ({ size, hashes: [...stack] }),
  };
};

/** The frontier of the first `size` leaves, from the roots of its complete subtrees (one per set bit of size). */
export const frontierOf = (size: number, subtree: (start: number, size: number) => Hash): TreeFrontier => {
  const hashes: Hash[] = [];
  let start = 0;
  for (let bit = 2 ** Math.floor(Math.log2(Math.max(size, 1))); bit >= 1; bit /= 2) {
    if (size - start >= bit) {
      hashes.push(subtree(start, bit));
      start += bit;
    }
  }
  return createTreeFrontier({ size, hashes });
};
