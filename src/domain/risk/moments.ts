/** Sample moments of a series of returns. */

export const mean = (xs: readonly number[]): number => {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
};

/** Standard deviation with Bessel's correction (ddof = 1): NaN for fewer than two values. */
export const sampleStd = (xs: readonly number[]): number => {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (xs.length - 1));
};

/** Root mean square of the negative part: the Sortino ratio's downside deviation (target 0). */
export const downsideDeviation = (xs: readonly number[]): number => {
  let ss = 0;
  for (const x of xs) if (x < 0) ss += x * x;
  return Math.sqrt(ss / xs.length);
};
