/**
 * Autocorrelation of a series at lags 1..maxLag, the standard (biased) estimator that
 * statsmodels' `acf(x, adjusted=False)` and pandas-free numpy computations use:
 *
 *   ρ_k = Σ_{t=0}^{n−1−k} (x_t − x̄)(x_{t+k} − x̄) / Σ_{t=0}^{n−1} (x_t − x̄)²
 *
 * (both sums over n, the n cancels). Not pandas' `Series.autocorr`, which is the Pearson
 * correlation of the overlapping parts (each with its own mean) and differs for short series.
 */
import { mean } from './windowStats.js';

export interface AcfPoint {
  readonly lag: number;
  /** Null when the series is shorter than lag + 1 or has no variance. */
  readonly value: number | null;
}

export const autocorrelation = (xs: readonly number[], maxLag: number): AcfPoint[] => {
  const n = xs.length;
  const m = n === 0 ? 0 : mean(xs);
  const dev = xs.map((x) => x - m);
  let denominator = 0;
  for (const d of dev) denominator += d * d;
  const out: AcfPoint[] = [];
  for (let lag = 1; lag <= maxLag; lag++) {
    if (lag >= n || denominator === 0) {
      out.push({ lag, value: null });
      continue;
    }
    let s = 0;
    for (let t = 0; t + lag < n; t++) s += dev[t]! * dev[t + lag]!;
    out.push({ lag, value: s / denominator });
  }
  return out;
};
