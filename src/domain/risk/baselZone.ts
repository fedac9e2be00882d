/**
 * The Basel traffic light (Basel Committee, 1996, "Supervisory framework for the use of
 * backtesting"): the zone of a 99% VaR model's exceptions over 250 days, by the cumulative
 * binomial probability of seeing at most that many were the model right: green below 95%
 * (0–4 exceptions in 250), yellow below 99.99% (5–9), red from there (10 or more).
 */

export type BaselZone = 'green' | 'yellow' | 'red';

/** The days Basel counts exceptions over. */
export const BASEL_DAYS = 250;
export const BASEL_LEVEL = 0.99;

/** P(X ≤ k) for X ~ Binomial(n, p), summed from P(X = 0) = (1 − p)^n by the ratio of successive terms. */
export const binomialCdf = (k: number, n: number, p: number): number => {
  let term = Math.pow(1 - p, n);
  let sum = term;
  for (let i = 0; i < k && i < n; i++) {
    term *= ((n - i) / (i + 1)) * (p / (1 - p));
    sum += term;
  }
  return Math.min(1, sum);
};

export const baselZone = (exceptions: number, days: number, expectedRate = 1 - BASEL_LEVEL): { zone: BaselZone; cumulativeProbability: number } => {
  const cumulativeProbability = binomialCdf(exceptions, days, expectedRate);
  const zone = cumulativeProbability < 0.95 ? 'green' : cumulativeProbability < 0.9999 ? 'yellow' : 'red';
  return { zone, cumulativeProbability };
};
