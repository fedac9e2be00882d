/**
 * Roots, inclusion paths and consistency paths of an RFC 6962 tree, built from the hashes of
 * complete aligned subtrees (which a store can keep, or compute from the leaves). The recursions
 * are RFC 6962 §2.1 (MTH, PATH, SUBPROOF) as written; every left half they visit is a complete
 * subtree, so a store that caches those answers each proof in O(log n) look-ups.
 */
import { EMPTY_ROOT, nodeHash, type Hash } from './rfc6962.js';
import { isAlignedSubtree, splitPoint } from './subtreeMath.js';

/** The hash of the complete subtree over leaves [start, start + size), size a power of two, start a multiple of it. */
export type SubtreeSource = (start: number, size: number) => Promise<Hash>;

/** MTH of leaves [start, start + n). */
export const rangeHash = async (subtree: SubtreeSource, start: number, n: number): Promise<Hash> => {
  if (n === 0) return EMPTY_ROOT;
  if (isAlignedSubtree(start, n)) return subtree(start, n);
  const k = splitPoint(n);
  const [left, right] = await Promise.all([subtree(start, k), rangeHash(subtree, start + k, n - k)]);
  return nodeHash(left, right);
};

export const rootOf = (subtree: SubtreeSource, size: number): Promise<Hash> => rangeHash(subtree, 0, size);

/** The audit path of leaf `index` in the tree of the first `size` leaves, leaf's sibling first. */
export const inclusionPath = async (subtree: SubtreeSource, index: number, size: number): Promise<Hash[]> => {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    throw new RangeError(`leaf index ${index} is not in a tree of size ${size}`);
  }
  const path: Hash[] = [];
  let start = 0;
  let n = size;
  let m = index;
  // Walk down from the root, collecting the sibling at each level, then reverse (RFC order is bottom-up).
  while (n > 1) {
    const k = splitPoint(n);
    if (m < k) {
      path.push(await rangeHash(subtree, start + k, n - k));
      n = k;
    } else {
      path.push(await subtree(start, k));
      start += k;
      m -= k;
      n -= k;
    }
  }
  return path.reverse();
};

/** The consistency path from the tree of `from` leaves to the tree of `to` leaves (RFC 6962 §2.1.2). */
export const consistencyPath = async (subtree: SubtreeSource, from: number, to: number): Promise<Hash[]> => {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to) {
    throw new RangeError(`no consistency proof from size ${from} to size ${to}: need 0 ≤ from ≤ to`);
  }
  if (from === 0 || from === to) return [];
  const path: Hash[] = [];
  let start = 0;
  let n = to;
  let m = from;
  let whole = true; // SUBPROOF's b: the old tree is the whole of the current subtree
  while (m !== n) {
    const k = splitPoint(n);
    if (m <= k) {
      path.push(await rangeHash(subtree, start + k, n - k));
      n = k;
    } else {
      path.push(await subtree(start, k));
      start += k;
      m -= k;
      n -= k;
      whole = false;
    }
  }
  if (!whole) path.push(await rangeHash(subtree, start, n));
  return path.reverse();
};
