/**
 * Index arithmetic shared by the tree builders: RFC 6962 splits a range of n > 1 leaves at the
 * largest power of two smaller than n, so every left half is a complete, aligned subtree.
 */

/** The largest power of two strictly smaller than n (n ≥ 2). */
export const splitPoint = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/** True when [start, start + size) is a complete subtree: size a power of two and start a multiple of it. */
export const isAlignedSubtree = (start: number, size: number): boolean => isPowerOfTwo(size) && start % size === 0;

/** Exact for every integer up to 2^53 (tree sizes outgrow 32-bit bit tricks). */
export const isPowerOfTwo = (n: number): boolean => n > 0 && Number.isInteger(Math.log2(n));
