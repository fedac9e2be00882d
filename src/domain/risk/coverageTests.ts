/**
 * Likelihood-ratio tests of a VaR model's exceptions (a 1 where the next return fell below −VaR):
 * Kupiec's proportion of failures (unconditional coverage), Christoffersen's independence of
 * consecutive exceptions, and their sum, conditional coverage; with chi-square p-values.
 */
import { chiSquareSurvival } from './normal.js';

export interface LikelihoodRatio {
  readonly statistic: number;
  readonly degreesOfFreedom: 1 | 2;
  readonly pValue: number;
}

/** n·ln(p), with 0·ln(0) = 0 (the limit): a likelihood term of an outcome that never happened. */
const xlogy = (n: number, p: number): number => (n === 0 ? 0 : n * Math.log(p));

const lr = (statistic: number, degreesOfFreedom: 1 | 2): LikelihoodRatio => {
  // Rounding can leave a statistic of exactly-equal likelihoods a hair below zero.
  const s = Math.max(0, statistic);
  return { statistic: s, degreesOfFreedom, pValue: chiSquareSurvival(s, degreesOfFreedom) };
};

/** LR_pof = −2 ln[(1−p)^{n−x} p^x] + 2 ln[(1−x/n)^{n−x} (x/n)^x], p = 1 − α the expected exception rate. */
export const kupiecPof = (exceptions: readonly boolean[], expectedRate: number): LikelihoodRatio => {
  const n = exceptions.length;
  const x = exceptions.filter(Boolean).length;
  const observed = x / n;
  const nullLog = xlogy(n - x, 1 - expectedRate) + xlogy(x, expectedRate);
  const altLog = xlogy(n - x, 1 - observed) + xlogy(x, observed);
  return lr(-2 * (nullLog - altLog), 1);
};

export interface Transitions {
  readonly n00: number;
  readonly n01: number;
  readonly n10: number;
  readonly n11: number;
}

/** Counts of day pairs (yesterday, today): n01 = no exception followed by one. */
export const transitions = (exceptions: readonly boolean[]): Transitions => {
  const n = [0, 0, 0, 0];
  for (let i = 1; i < exceptions.length; i++) n[(exceptions[i - 1] ? 2 : 0) + (exceptions[i] ? 1 : 0)]!++;
  return { n00: n[0]!, n01: n[1]!, n10: n[2]!, n11: n[3]! };
};

/**
 * LR_ind = −2 ln[(1−π)^{n00+n10} π^{n01+n11}] + 2 ln[(1−π0)^{n00} π0^{n01} (1−π1)^{n10} π1^{n11}],
 * π0 = n01/(n00+n01), π1 = n11/(n10+n11), π = (n01+n11)/(all pairs). A state never visited
 * contributes nothing (its counts are 0).
 */
export const christoffersenIndependence = (exceptions: readonly boolean[]): LikelihoodRatio => {
  const { n00, n01, n10, n11 } = transitions(exceptions);
  const pi0 = n00 + n01 === 0 ? 0 : n01 / (n00 + n01);
  const pi1 = n10 + n11 === 0 ? 0 : n11 / (n10 + n11);
  const pi = (n01 + n11) / (n00 + n01 + n10 + n11);
  const nullLog = xlogy(n00 + n10, 1 - pi) + xlogy(n01 + n11, pi);
  const altLog = xlogy(n00, 1 - pi0) + xlogy(n01, pi0) + xlogy(n10, 1 - pi1) + xlogy(n11, pi1);
  return lr(-2 * (nullLog - altLog), 1);
};

/** LR_cc = LR_pof + LR_ind, chi-square with 2 degrees of freedom. */
export const conditionalCoverage = (pof: LikelihoodRatio, independence: LikelihoodRatio): LikelihoodRatio =>
  lr(pof.statistic + independence.statistic, 2);
