/**
 * The standard normal distribution: erfc, the cdf Φ and its inverse Φ⁻¹ (parametric VaR), and the
 * chi-square survival function for 1 and 2 degrees of freedom (the VaR backtests' p-values).
 *
 * Written here rather than taken from a package: the domain imports nothing, the figures must
 * agree with scipy to 1e-9 relative (the approximations common in npm packages, Acklam's or
 * Abramowitz-Stegun 7.1.26, are good to 1e-9 and 1e-7 absolute only), and these few series are
 * textbook: erf by its everywhere-positive series (no cancellation) below 2.5, erfc by its
 * continued fraction (Lentz) above, Φ⁻¹ by Newton's method on Φ inside a bracket.
 */

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT2 = Math.SQRT2;
const EPS = 1e-17;

/** erf(x) = 2/√π e^{-x²} Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)), for 0 ≤ x < 2.5. */
const erfSeries = (x: number): number => {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * EPS) break;
  }
  return (2 / SQRT_PI) * Math.exp(-x2) * sum;
};

/** erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), for x ≥ 2.5 (modified Lentz). */
const erfcContinuedFraction = (x: number): number => {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
};

/** The complementary error function, accurate to about 1e-14 relative over the whole line. */
export const erfc = (x: number): number => {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) return 1 - erfSeries(x);
  if (x > 27) return 0;
  return erfcContinuedFraction(x);
};

/** Φ(x), computed from the tail that does not cancel. */
export const normalCdf = (x: number): number => 0.5 * erfc(-x / SQRT2);

const normalPdf = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

/** Φ⁻¹(p) for p in (0, 1): -∞ at 0, +∞ at 1, NaN outside. */
export const normalQuantile = (p: number): number => {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p > 0.5) return -normalQuantile(1 - p);
  if (p === 0.5) return 0;
  // Φ is increasing: Newton steps, each kept inside the bracket [lo, hi] that holds the root.
  let lo = -40;
  let hi = 0;
  let x = -Math.sqrt(-2 * Math.log(p));
  for (let i = 0; i < 100; i++) {
    const f = normalCdf(x) - p;
    if (f < 0) lo = x;
    else hi = x;
    let next = x - f / normalPdf(x);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-16 * Math.abs(x)) return next;
    x = next;
  }
  return x;
};

/** P(X ≥ x) for X chi-square with 1 or 2 degrees of freedom (the likelihood-ratio tests' p-values). */
export const chiSquareSurvival = (x: number, df: 1 | 2): number => {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  return df === 1 ? erfc(Math.sqrt(x / 2)) : Math.exp(-x / 2);
};
