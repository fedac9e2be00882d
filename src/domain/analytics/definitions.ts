/**
 * The fixed definitions of the correlation matrices and the network built on them (docs/analytics.md),
 * named in every answer and published view so that anyone can recompute them from the same closes.
 */
import { DAY_MS, MINUTE_MS } from '../time.js';

export const CORRELATION_METHODS = ['pearson', 'spearman'] as const;
export type CorrelationMethod = (typeof CORRELATION_METHODS)[number];

/**
 * The rolling windows: 30, 90 and 365 daily returns ending at the as-of day, or the 1,440 one-minute
 * returns of the as-of day itself (`24h`).
 */
export const CORRELATION_WINDOWS = ['30d', '90d', '365d', '24h'] as const;
export type CorrelationWindow = (typeof CORRELATION_WINDOWS)[number];

export interface WindowSpec {
  readonly interval: '1d' | '1m';
  /** Milliseconds between bars. */
  readonly step: number;
  /** Returns in the window: the closes of `returns + 1` bars ending at the as-of day's last bar. */
  readonly returns: number;
}

export const WINDOW_SPECS: Readonly<Record<CorrelationWindow, WindowSpec>> = {
  '30d': { interval: '1d', step: DAY_MS, returns: 30 },
  '90d': { interval: '1d', step: DAY_MS, returns: 90 },
  '365d': { interval: '1d', step: DAY_MS, returns: 365 },
  '24h': { interval: '1m', step: MINUTE_MS, returns: 1_440 },
};

/** Fewest returns two series must share for their correlation to be given (two always correlate ±1). */
export const MIN_SHARED_RETURNS = 3;

export const DEFAULT_THRESHOLD = 0.5;
export const PAGERANK_ALPHA = 0.85;
/** networkx's convergence test with this tolerance is the reference: L1 change < n · tolerance. */
export const PAGERANK_TOLERANCE = 1e-12;
export const LOUVAIN_SEED = 19;

/** Mantegna's metric: d = √(2(1 − ρ)), 0 for ρ = 1, 2 for ρ = −1. */
export const mantegnaDistance = (rho: number): number => Math.sqrt(2 * (1 - rho));

export interface CorrelationDefinitions {
  readonly method: CorrelationMethod;
  readonly window: CorrelationWindow;
  readonly interval: '1d' | '1m';
  readonly returns: 'simple: r_t = C_t / C_{t-1} - 1 of consecutive bars';
  readonly missingData: 'pairwise: each pair over the returns both symbols have; fewer than 3 shared, or no spread, gives null';
}

export const correlationDefinitions = (method: CorrelationMethod, window: CorrelationWindow): CorrelationDefinitions => ({
  method,
  window,
  interval: WINDOW_SPECS[window].interval,
  returns: 'simple: r_t = C_t / C_{t-1} - 1 of consecutive bars',
  missingData: 'pairwise: each pair over the returns both symbols have; fewer than 3 shared, or no spread, gives null',
});

export interface NetworkDefinitions extends CorrelationDefinitions {
  readonly threshold: number;
  readonly edges: 'undirected, |rho| >= threshold, weight |rho|';
  readonly spanningTree: 'minimum spanning forest of every defined pair on d = sqrt(2(1 - rho)), ties by matrix position';
  readonly pagerank: { readonly alpha: number; readonly tolerance: number; readonly weight: '|rho|' };
  readonly louvain: { readonly seed: number; readonly weight: '|rho|' };
  readonly labelPropagation: 'asynchronous, nodes in matrix order, weighted by |rho|, ties to the smallest label';
  readonly shortestPaths: 'Dijkstra on the threshold graph with edge length d = sqrt(2(1 - rho))';
}

export const networkDefinitions = (method: CorrelationMethod, window: CorrelationWindow, threshold: number): NetworkDefinitions => ({
  ...correlationDefinitions(method, window),
  threshold,
  edges: 'undirected, |rho| >= threshold, weight |rho|',
  spanningTree: 'minimum spanning forest of every defined pair on d = sqrt(2(1 - rho)), ties by matrix position',
  pagerank: { alpha: PAGERANK_ALPHA, tolerance: PAGERANK_TOLERANCE, weight: '|rho|' },
  louvain: { seed: LOUVAIN_SEED, weight: '|rho|' },
  labelPropagation: 'asynchronous, nodes in matrix order, weighted by |rho|, ties to the smallest label',
  shortestPaths: 'Dijkstra on the threshold graph with edge length d = sqrt(2(1 - rho))',
});
