/**
 * Split-conformal intervals from out-of-fold absolute residuals: the half-width at level α is the
 * ⌈(n + 1)α⌉-th smallest residual (capped at the largest when n is too small for α), so that a
 * new residual exchangeable with the calibration ones falls inside with probability ≥ α.
 */

export const INTERVAL_LEVELS = [0.8, 0.95] as const;

export const conformalHalfWidth = (absResiduals: ArrayLike<number>, level: number): number => {
  const sorted = Float64Array.from(absResiduals).sort();
  const rank = Math.ceil((sorted.length + 1) * level);
  return sorted[Math.min(rank, sorted.length) - 1]!;
};

/** Share of residuals at or below the half-width. */
export const coverage = (absResiduals: ArrayLike<number>, halfWidth: number): number => {
  let inside = 0;
  for (let i = 0; i < absResiduals.length; i++) if (absResiduals[i]! <= halfWidth) inside++;
  return inside / absResiduals.length;
};
