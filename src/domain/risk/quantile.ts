/**
 * The q-quantile of ascending-sorted values with linear interpolation between order statistics
 * (Hyndman and Fan's type 7, numpy.quantile's default): h = (n - 1) q, x[floor h] + (h - floor h)
 * (x[floor h + 1] - x[floor h]).
 */
export const linearQuantile = (sorted: readonly number[], q: number): number => {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  const g = h - lo;
  // Interpolated from the nearer end, as numpy does: the same bits, and exact at both ends.
  return g < 0.5 ? a + (b - a) * g : b - (b - a) * (1 - g);
};

export const ascending = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);
