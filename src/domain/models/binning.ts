/**
 * Quantile binning of continuous features into at most maxBins candidate splits, as Spark's trees
 * do (its `maxBins`): a feature's thresholds are the training values at the k/maxBins quantiles
 * (k = 1..maxBins−1), distinct, below the maximum. A value's bin is the number of thresholds below it,
 * so "bin ≤ b" is exactly "x ≤ threshold[b]": a split found on bins is a threshold on raw values.
 */

export interface Binned {
  /** Column-major n × p bin numbers (a column per feature: a histogram pass reads one column). */
  readonly bins: Uint8Array;
  /** Per feature, increasing. */
  readonly thresholds: readonly Float64Array[];
}

/** Per feature thresholds from rows [0, n) of a row-major matrix (only `rows` of it when given). */
export const quantileThresholds = (x: Float64Array, p: number, rows: Int32Array, maxBins: number): Float64Array[] =>
  Array.from({ length: p }, (_, f) => {
    const values = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = x[rows[i]! * p + f]!;
    values.sort();
    const out: number[] = [];
    const max = values[values.length - 1]!;
    for (let k = 1; k < maxBins; k++) {
      const v = values[Math.floor((k * values.length) / maxBins)]!;
      if (v < max && (out.length === 0 || v > out[out.length - 1]!)) out.push(v);
    }
    return Float64Array.from(out);
  });

const binOf = (thresholds: Float64Array, v: number): number => {
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (thresholds[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/** Bins every row of the n × p matrix with the thresholds. */
export const binMatrix = (x: Float64Array, n: number, p: number, thresholds: readonly Float64Array[]): Binned => {
  const bins = new Uint8Array(n * p);
  for (let f = 0; f < p; f++) {
    const t = thresholds[f]!;
    for (let r = 0; r < n; r++) bins[f * n + r] = binOf(t, x[r * p + f]!);
  }
  return { bins, thresholds };
};
