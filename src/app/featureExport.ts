/**
 * Exports a symbol's feature rows for [from, to) to a Parquet file: read page by page through the
 * same query the API answers (the merged candles with their lookback), then written by the
 * Parquet adapter. What the CLI's `features export` runs; progress is reported per page.
 */
import { writeFeatureParquet } from '../adapters/parquet/featureRowsParquet.js';
import type { FeatureRow } from '../domain/features/featureRow.js';
import type { GapSpan } from '../domain/folds/mergeLayers.js';
import { INTERVAL_MS } from '../domain/time.js';
import { MAX_FEATURE_BARS, type FeaturesAnswer, type FeaturesQuery } from '../read-models/features.js';

/** Bars per page: small enough for progress to move, large enough that each page's 300-bar lookback is a small extra. */
const PAGE_BARS = Math.min(MAX_FEATURE_BARS, 2_000);

export interface FeatureExport extends FeaturesQuery {
  readonly out: string;
  /** Bars done, after each page, and the gaps neither layer covers in that page. */
  readonly onPage?: (done: number, gaps: readonly GapSpan[]) => void;
}

export const exportFeatures = async (features: (q: FeaturesQuery) => Promise<FeaturesAnswer>, e: FeatureExport): Promise<{ rows: number }> => {
  const size = INTERVAL_MS[e.interval];
  const rows: FeatureRow[] = [];
  let batchVersion: number | null = null;
  let definitionVersion = 0;
  for (let start = e.from; start < e.to; start += PAGE_BARS * size) {
    const end = Math.min(e.to, start + PAGE_BARS * size);
    const answer = await features({ symbol: e.symbol, interval: e.interval, from: start, to: end });
    rows.push(...answer.rows);
    batchVersion = answer.batch?.version ?? batchVersion;
    definitionVersion = answer.definitionVersion;
    e.onPage?.(Math.ceil((end - e.from) / size), answer.gaps);
  }
  writeFeatureParquet(e.out, rows, { symbol: e.symbol, interval: e.interval, definitionVersion, batchVersion });
  return { rows: rows.length };
};
