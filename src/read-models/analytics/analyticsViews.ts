/**
 * The published forms of a correlation matrix and its network: plain JSON (null for an undefined ρ),
 * with the definitions they were computed by, and the SHA-256 of their canonical JSON. The API answers
 * and the BatchViewPublished events carry the same hash, so a client can check what it was served
 * against the ledger.
 */
import type { CorrelationMatrix, ReturnTable } from '../../domain/analytics/correlation.js';
import { correlationMatrix } from '../../domain/analytics/correlation.js';
import {
  correlationDefinitions,
  networkDefinitions,
  type CorrelationDefinitions,
  type CorrelationMethod,
  type CorrelationWindow,
  type NetworkDefinitions,
} from '../../domain/analytics/definitions.js';
import type { Close } from '../../domain/risk/returns.js';
import { utcDay } from '../../domain/time.js';
import { contentHash } from './contentHash.js';
import { correlationNetwork, type CorrelationNetwork } from './correlationNetwork.js';

export interface CorrelationContent {
  /** yyyy-mm-dd */
  readonly asOf: string;
  readonly definitions: CorrelationDefinitions;
  readonly symbols: readonly string[];
  /** matrix[i][j]: ρ of symbols i and j, null when undefined (see definitions.missingData). */
  readonly matrix: ReadonlyArray<ReadonlyArray<number | null>>;
  /** shared[i][j]: the returns ρ was computed over. */
  readonly shared: ReadonlyArray<ReadonlyArray<number>>;
}

export interface NetworkContent extends CorrelationNetwork {
  readonly asOf: string;
  readonly definitions: NetworkDefinitions;
  readonly symbols: readonly string[];
}

export type Hashed<T> = T & { readonly contentHash: string };

export const withHash = <T>(content: T): Hashed<T> => ({ ...content, contentHash: contentHash(content) });

const rows = <T>(m: CorrelationMatrix, cells: ArrayLike<number>, cell: (v: number) => T): T[][] => {
  const n = m.symbols.length;
  return m.symbols.map((_, i) => Array.from({ length: n }, (_, j) => cell(cells[i * n + j]!)));
};

export const correlationContent = (m: CorrelationMatrix, asOf: string, method: CorrelationMethod, window: CorrelationWindow): Hashed<CorrelationContent> =>
  withHash({
    asOf,
    definitions: correlationDefinitions(method, window),
    symbols: m.symbols,
    matrix: rows(m, m.values, (v) => (Number.isNaN(v) ? null : v)),
    shared: rows(m, m.shared, (v) => v),
  });

export const networkContent = (m: CorrelationMatrix, asOf: string, method: CorrelationMethod, window: CorrelationWindow, threshold: number): Hashed<NetworkContent> =>
  withHash({ asOf, definitions: networkDefinitions(method, window, threshold), symbols: m.symbols, ...correlationNetwork(m, threshold) });

/** The view names BatchViewPublished carries: `correlation/{window}/{method}`, `network/{window}/{method}/{threshold}`. */
export const correlationViewName = (window: CorrelationWindow, method: CorrelationMethod): string => `correlation/${window}/${method}`;
export const networkViewName = (window: CorrelationWindow, method: CorrelationMethod, threshold: number): string => `network/${window}/${method}/${threshold}`;

export interface PublishedView {
  readonly view: string;
  readonly symbols: readonly string[];
  readonly contentHash: string;
  /** What the hash is of: the view as the API serves it. */
  readonly content: Hashed<CorrelationContent> | Hashed<NetworkContent>;
}

/**
 * The nightly pass over one window's returns: both methods' matrices and their networks at the
 * threshold, each with its hash. The daily job publishes what this returns; the benchmark times it.
 */
export const nightlyViews = (table: ReturnTable, asOf: string, window: CorrelationWindow, threshold: number): PublishedView[] =>
  (['pearson', 'spearman'] as const).flatMap((method) => {
    const m = correlationMatrix(table, method);
    const matrix = correlationContent(m, asOf, method, window);
    const network = networkContent(m, asOf, method, window, threshold);
    return [
      { view: correlationViewName(window, method), symbols: m.symbols, contentHash: matrix.contentHash, content: matrix },
      { view: networkViewName(window, method, threshold), symbols: m.symbols, contentHash: network.contentHash, content: network },
    ];
  });

/** One window of the nightly pass: the selected symbols' returns, and the closes they came from. */
export interface NightlyWindow {
  readonly window: CorrelationWindow;
  readonly table: ReturnTable;
  readonly closes: ReadonlyArray<{ readonly symbol: string; readonly closes: readonly Close[] }>;
}

/** What computes the nightly views: the embedded engine here, or Spark on the cluster (adapters/analytics/spark). */
export interface AnalyticsEngine {
  /** Recorded as `engine` in BatchViewPublished. */
  readonly name: string;
  /** Every window's views as of the UTC day starting at `asOf`, in the order nightlyViews gives them. */
  views(asOf: number, threshold: number, windows: readonly NightlyWindow[]): Promise<PublishedView[]>;
}

export const embeddedAnalyticsEngine: AnalyticsEngine = {
  name: 'ts',
  views: async (asOf, threshold, windows) => windows.flatMap((w) => nightlyViews(w.table, utcDay(asOf), w.window, threshold)),
};
