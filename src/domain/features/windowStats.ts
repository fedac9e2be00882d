/**
 * The few numerics the features are built from, each written as one fixed sequence of
 * floating-point operations (left to right, in time order). The Spark twin
 * (spark-jobs/tickvault_jobs/features.py) folds the same arrays in the same order, which is what
 * makes the two engines agree to the bit; a library's mean or variance (pairwise sums, one-pass
 * updates) would differ in the last place.
 */

/** Σ x, added left to right from 0. */
export const sequentialSum = (xs: readonly number[]): number => {
  let s = 0;
  for (const x of xs) s += x;
  return s;
};

export const mean = (xs: readonly number[]): number => sequentialSum(xs) / xs.length;

/** Σ (x − m)², added left to right: the second pass of a two-pass variance. */
const squaredDeviations = (xs: readonly number[], m: number): number => {
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return s;
};

/** Sample standard deviation (ddof 1), two-pass. */
export const sampleSd = (xs: readonly number[]): number => Math.sqrt(squaredDeviations(xs, mean(xs)) / (xs.length - 1));

/** Population standard deviation (ddof 0), two-pass. */
export const populationSd = (xs: readonly number[]): number => Math.sqrt(squaredDeviations(xs, mean(xs)) / xs.length);

/**
 * Exponential moving average with α = 2/(span+1), seeded with the first value (pandas'
 * `ewm(span, adjust=False)`): e₀ = x₀, eᵢ = α·xᵢ + (1 − α)·eᵢ₋₁. Undefined for no values.
 */
export const ema = (xs: readonly number[], span: number): number | undefined => {
  const alpha = 2 / (span + 1);
  let e: number | undefined;
  for (const x of xs) e = e === undefined ? x : alpha * x + (1 - alpha) * e;
  return e;
};
