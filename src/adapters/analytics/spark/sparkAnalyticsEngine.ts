/**
 * The cluster's AnalyticsEngine: the nightly correlation matrices and networks computed on the
 * standalone cluster by spark-jobs' `analytics_views` job (spark-jobs/tickvault_jobs/analytics_views.py,
 * network.py's DataFrame transforms), from the very closes the embedded engine would correlate.
 *
 * The job answers the parts Spark computes (matrix, shared counts, threshold edges, Mantegna's tree,
 * PageRank, degree, strength, components, shortest paths); the communities (seeded Louvain, label
 * propagation) are computed here over the job's edges, with the embedded engine's code, since both
 * visit nodes one at a time (docs/analytics.md). The contents are then the embedded engine's shape,
 * hashed here by the same canonical JSON, so the API serves and the ledger records them alike.
 *
 * As the Spark model engine does, the input and the answer live on the cluster's lake, in
 * `{lake}/tmp/analytics-<id>/` on HDFS, where every executor reads them; the folder is removed when
 * the job ends, failed or not. One spark-submit computes every window (one JVM start a night).
 */
import { randomUUID } from 'node:crypto';
import { correlationDefinitions, networkDefinitions, type CorrelationMethod, type CorrelationWindow, WINDOW_SPECS } from '../../../domain/analytics/definitions.js';
import { utcDay } from '../../../domain/time.js';
import {
  correlationViewName,
  networkViewName,
  withHash,
  type AnalyticsEngine,
  type NightlyWindow,
  type PublishedView,
} from '../../../read-models/analytics/analyticsViews.js';
import { communitiesOf, type CorrelationNetwork, type NetworkEdge } from '../../../read-models/analytics/correlationNetwork.js';
import type { TreeEdge } from '../../../domain/analytics/spanningTree.js';
import { runSparkJob, type SparkEndpoint } from '../../batch-engine/spark/sparkSubmit.js';
import { hdfsLakeFolder, sparkConfFor, type LakeLocation } from '../../lake/lakeLocation.js';
import type { WebHdfs } from '../../lake/webHdfs.js';

export const SPARK_ANALYTICS_ENGINE = 'spark';

export interface SparkAnalyticsEngineDeps {
  readonly spark: SparkEndpoint;
  /** The cluster's lake (hdfs://): each run stages its closes under its tmp/. */
  readonly lake: LakeLocation;
  /** WebHDFS on the lake's NameNode: writes the closes, reads the answer, removes both. */
  readonly lakeFiles: WebHdfs;
  /** Per spark-submit; a job past it is killed with its process group. */
  readonly jobTimeoutMs: number;
  /** The job's own output lines, for a person. */
  readonly onLine?: (line: string) => void;
}

/** One method's view of one window as the job writes it. */
interface SparkView {
  readonly window: CorrelationWindow;
  readonly method: CorrelationMethod;
  readonly symbols: string[];
  readonly matrix: Array<Array<number | null>>;
  readonly shared: number[][];
  readonly edges: NetworkEdge[];
  readonly spanningTree: TreeEdge[];
  readonly nodes: Array<{ symbol: string; pagerank: number; degree: number; strength: number; component: number }>;
  readonly components: string[][];
  readonly shortestPaths: CorrelationNetwork['shortestPaths'];
}

/**
 * Every window's closes as the job's JSON lines, each (symbol, interval, bar) once: the 30-, 90- and
 * 365-day windows read the same daily candles, and a bar twice would break the job's consecutive-bar test.
 */
export const closesJsonLines = (windows: readonly NightlyWindow[]): string => {
  const lines = new Map<string, string>();
  for (const w of windows) {
    const interval = WINDOW_SPECS[w.window].interval;
    for (const s of w.closes) {
      for (const c of s.closes) {
        lines.set(`${interval} ${s.symbol} ${c.time}`, JSON.stringify({ symbol: s.symbol, interval, bucket_start: c.time, close: c.close }));
      }
    }
  }
  return [...lines.values()].map((l) => `${l}\n`).join('');
};

/** The embedded engine's contents from one of the job's views, the communities computed here. */
const publishedOf = (v: SparkView, day: string, threshold: number): PublishedView[] => {
  const matrix = withHash({ asOf: day, definitions: correlationDefinitions(v.method, v.window), symbols: v.symbols, matrix: v.matrix, shared: v.shared });
  const communities = communitiesOf(v.symbols, v.edges);
  const network = withHash({
    asOf: day,
    definitions: networkDefinitions(v.method, v.window, threshold),
    symbols: v.symbols,
    nodes: v.nodes.map((n, i) => ({
      symbol: n.symbol,
      pagerank: n.pagerank,
      degree: n.degree,
      strength: n.strength,
      louvain: communities.louvain[i]!,
      labelPropagation: communities.labelPropagation[i]!,
      component: n.component,
    })),
    edges: v.edges,
    spanningTree: v.spanningTree,
    communities: communities.lists,
    components: v.components,
    shortestPaths: v.shortestPaths,
  });
  return [
    { view: correlationViewName(v.window, v.method), symbols: v.symbols, contentHash: matrix.contentHash, content: matrix },
    { view: networkViewName(v.window, v.method, threshold), symbols: v.symbols, contentHash: network.contentHash, content: network },
  ];
};

/** The job's answer, checked against the request: each window's two methods, over the symbols asked, in their order. */
const viewsFrom = (text: string, windows: readonly NightlyWindow[]): SparkView[] => {
  const answer = JSON.parse(text) as { views?: SparkView[] };
  const views = answer.views ?? [];
  const expected = windows.flatMap((w) => (['pearson', 'spearman'] as const).map((method) => ({ window: w.window, method, symbols: w.table.symbols })));
  const same = views.length === expected.length && views.every((v, k) =>
    v.window === expected[k]!.window && v.method === expected[k]!.method && v.symbols.join(',') === expected[k]!.symbols.join(',') && v.nodes.length === v.symbols.length);
  if (!same) throw new Error(`the Spark analytics_views job answered views other than those asked (${expected.map((e) => `${e.window}/${e.method}`).join(', ')})`);
  return views;
};

/** Runs the job over every window, one spark-submit, and reads back the views' contents. */
export const sparkAnalyticsViews = async (deps: SparkAnalyticsEngineDeps, asOf: number, threshold: number, windows: readonly NightlyWindow[]): Promise<PublishedView[]> => {
  if (windows.length === 0) return [];
  const staging = hdfsLakeFolder(deps.lake, 'tmp', `analytics-${randomUUID()}`);
  const request = { threshold, views: windows.map((w) => ({ window: w.window, asOf, symbols: w.table.symbols })) };
  try {
    await deps.lakeFiles.create(`${staging.path}/closes.jsonl`, Buffer.from(closesJsonLines(windows), 'utf8'));
    await runSparkJob(deps.spark, 'analytics_views', [
      '--closes', `${staging.uri}/closes.jsonl`,
      '--request', JSON.stringify(request),
      '--out', `${staging.uri}/views.json`,
    ], { timeoutMs: deps.jobTimeoutMs, conf: sparkConfFor(deps.lake), ...(deps.onLine === undefined ? {} : { onLine: deps.onLine }) });
    const views = viewsFrom(await deps.lakeFiles.read(`${staging.path}/views.json`), windows);
    return views.flatMap((v) => publishedOf(v, utcDay(asOf), threshold));
  } finally {
    // A failed removal leaves a folder named by a fresh id, never read again: say so, keep the job's own outcome.
    await deps.lakeFiles.remove(staging.path).catch((e: unknown) =>
      deps.onLine?.(`analytics_views: could not remove ${staging.uri}: ${e instanceof Error ? e.message : String(e)}`),
    );
  }
};

export const createSparkAnalyticsEngine = (deps: SparkAnalyticsEngineDeps): AnalyticsEngine => ({
  name: SPARK_ANALYTICS_ENGINE,
  views: (asOf, threshold, windows) => sparkAnalyticsViews(deps, asOf, threshold, windows),
});
