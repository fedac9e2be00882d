/**
 * The nightly correlation matrices and networks on both engines, on the shared daily OHLCV data (the
 * coins' 1d closes as the OHLCV reader answers them): the daily publication runs once with the Spark
 * engine (spark-jobs' `analytics_views` on the standalone cluster, closes staged on the stack's HDFS,
 * one spark-submit for every window) and records a BatchViewPublished per view with engine `spark` and
 * the hash of the content Spark's answer makes; the embedded engine computes the same views from the
 * same closes. Held equal: the views, their symbols and order, the shared counts, the edges and the
 * spanning tree's edges in order, components, degrees, communities and the paths exactly; rho, edge
 * weights and distances within 1e-9 relative; PageRank within 1e-6 (each engine is within 1e-6 of
 * networkx.pagerank, networkReference.int.spec.ts and spark-jobs/tests/test_network.py).
 *
 * The content hashes are compared too, and may differ: the encoding is canonical on both sides, but
 * Spark sums a correlation's products and a PageRank step in its own order, so their last bits are
 * not the embedded engine's. Each is held to be the hash of the content it names.
 *
 * The analytics routes then serve what Spark published, as published, with `publication.engine: 'spark'`
 * (an HTTP server over the platform whose analytics is this publication: no second spark-submit).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildServer } from '../../../../src/adapters/http/server.js';
import { createSparkAnalyticsEngine } from '../../../../src/adapters/analytics/spark/sparkAnalyticsEngine.js';
import type { SparkEndpoint } from '../../../../src/adapters/batch-engine/spark/sparkSubmit.js';
import { createInProcessJobQueue } from '../../../../src/adapters/jobs/in-process/inProcessJobQueue.js';
import { hdfsLake } from '../../../../src/adapters/lake/lakeLocation.js';
import { openSqliteSnapshotStore } from '../../../../src/adapters/snapshot-store/sqlite/sqliteSnapshotStore.js';
import { webHdfs } from '../../../../src/adapters/lake/webHdfs.js';
import { createAnalyticsPublication } from '../../../../src/app/analyticsPublication.js';
import type { CorrelationWindow } from '../../../../src/domain/analytics/definitions.js';
import type { CandleView } from '../../../../src/domain/folds/candle.js';
import { DAY_MS, utcDay } from '../../../../src/domain/time.js';
import { windowReturns, type AnalyticsReaders } from '../../../../src/read-models/analytics/analyticsQuery.js';
import { embeddedAnalyticsEngine, type CorrelationContent, type NetworkContent, type PublishedView } from '../../../../src/read-models/analytics/analyticsViews.js';
import { contentHash } from '../../../../src/read-models/analytics/contentHash.js';
import { dailySymbol } from '../../../support/correlationInputs.js';
import { DAILY_OHLCV, dailyFiles, readDailyBars } from '../../../support/dailyOhlcv.js';
import { issueKey, openTestPlatform, origin, withKey } from '../../../support/platform.js';
import { repoRoot, requireSharedData } from '../../../support/sharedData.js';
import { sparkEngineStack } from '../../../support/sparkEngineStack.js';
import { requireStack } from '../../../support/stack.js';

const spark = requireStack('spark');
const data = requireSharedData(DAILY_OHLCV);

/** The shared coins' daily bars as the OHLCV reader answers them (quote volume: volume × close). */
const sharedReaders = (dir: string): AnalyticsReaders & { last: number } => {
  const bars = new Map(dailyFiles(dir).map((f) => [dailySymbol(f), readDailyBars(f)]));
  const last = Math.max(...[...bars.values()].map((b) => b[b.length - 1]!.time));
  return {
    last,
    symbols: async () => [...bars.keys()],
    ohlcv: async (q) => {
      const candles: CandleView[] = (bars.get(q.symbol) ?? [])
        .filter((b) => q.interval === '1d' && b.time >= q.from && b.time < q.to)
        .map((b) => ({ time: b.time, open: b.close, high: b.close, low: b.close, close: b.close, volume: b.volume, quoteVolume: b.volume * b.close, vwap: b.close, takerBuyVolume: 0, takerSellVolume: 0, trades: 1 }));
      return { symbol: q.symbol, interval: q.interval, exchange: null, from: q.from, to: q.to, candles, sources: [], gaps: [], batch: null, degraded: false };
    },
  };
};

const relClose = (a: number | null, b: number | null, tol = 1e-9): boolean =>
  a === null || b === null ? a === b : Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b)) || Math.abs(a - b) <= 1e-12;

/** What differs between the two engines' contents of one view, one line per difference. */
const differences = (label: string, s: PublishedView['content'], e: PublishedView['content']): string[] => {
  const out: string[] = [];
  if (s.symbols.join() !== e.symbols.join()) return [`${label} symbols: ${s.symbols.join()} vs ${e.symbols.join()}`];
  if (JSON.stringify(s.definitions) !== JSON.stringify(e.definitions) || s.asOf !== e.asOf) out.push(`${label} definitions or day differ`);
  if ('matrix' in s && 'matrix' in e) {
    const [sm, em] = [s as CorrelationContent, e as CorrelationContent];
    sm.matrix.forEach((row, i) => row.forEach((v, j) => {
      if (!relClose(v, em.matrix[i]![j]!)) out.push(`${label} rho ${i}/${j}: ${v} vs ${em.matrix[i]![j]}`);
      if (sm.shared[i]![j] !== em.shared[i]![j]) out.push(`${label} shared ${i}/${j}: ${sm.shared[i]![j]} vs ${em.shared[i]![j]}`);
    }));
    return out;
  }
  const [sn, en] = [s as NetworkContent, e as NetworkContent];
  const pairs = (edges: ReadonlyArray<{ source: string; target: string }>) => edges.map((x) => `${x.source}~${x.target}`).join(' ');
  if (pairs(sn.edges) !== pairs(en.edges)) out.push(`${label} edges: ${pairs(sn.edges)} vs ${pairs(en.edges)}`);
  else sn.edges.forEach((x, k) => {
    const y = en.edges[k]!;
    if (!relClose(x.rho, y.rho) || !relClose(x.weight, y.weight) || !relClose(x.distance, y.distance)) out.push(`${label} edge ${pairs([x])}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
  });
  if (pairs(sn.spanningTree) !== pairs(en.spanningTree)) out.push(`${label} spanning tree: ${pairs(sn.spanningTree)} vs ${pairs(en.spanningTree)}`);
  else sn.spanningTree.forEach((x, k) => {
    if (!relClose(x.distance, en.spanningTree[k]!.distance)) out.push(`${label} tree edge ${pairs([x])}: ${x.distance} vs ${en.spanningTree[k]!.distance}`);
  });
  sn.nodes.forEach((n, i) => {
    const m = en.nodes[i]!;
    if (Math.abs(n.pagerank - m.pagerank) > 1e-6) out.push(`${label} pagerank ${n.symbol}: ${n.pagerank} vs ${m.pagerank}`);
    if (!relClose(n.strength, m.strength)) out.push(`${label} strength ${n.symbol}: ${n.strength} vs ${m.strength}`);
    for (const k of ['degree', 'louvain', 'labelPropagation', 'component'] as const) if (n[k] !== m[k]) out.push(`${label} ${k} ${n.symbol}: ${n[k]} vs ${m[k]}`);
  });
  for (const k of ['components', 'communities'] as const) {
    const [a, b] = [JSON.stringify(sn[k]), JSON.stringify(en[k])];
    if (k === 'communities' ? !relClose(sn.communities.louvainModularity, en.communities.louvainModularity) || JSON.stringify(sn.communities.louvain) !== JSON.stringify(en.communities.louvain) || JSON.stringify(sn.communities.labelPropagation) !== JSON.stringify(en.communities.labelPropagation) : a !== b) out.push(`${label} ${k}: ${a} vs ${b}`);
  }
  if (Object.keys(sn.shortestPaths).join() !== Object.keys(en.shortestPaths).join()) out.push(`${label} anchors differ`);
  for (const [anchor, paths] of Object.entries(en.shortestPaths)) {
    for (const [symbol, p] of Object.entries(paths)) {
      const q = sn.shortestPaths[anchor]?.[symbol] ?? null;
      if ((p === null) !== (q === null) || (p !== null && q !== null && (p.path.join() !== q.path.join() || !relClose(p.distance, q.distance)))) {
        out.push(`${label} path ${symbol}→${anchor}: ${JSON.stringify(q)} vs ${JSON.stringify(p)}`);
      }
    }
  }
  return out;
};

describe.skipIf(sparkEngineStack.skip || data.skip)('correlation views: Spark beside the embedded engine on the shared daily data', () => {
  it('publishes views equal to the embedded engine\'s, as BatchViewPublished with their content hashes', { timeout: 20 * 60_000 }, async () => {
    data.assertAvailable();
    const readers = sharedReaders(data.path(DAILY_OHLCV));
    const r = sparkEngineStack.rig();
    const { platform, dataDir, cleanup } = await openTestPlatform();
    const snapshots = openSqliteSnapshotStore({ path: path.join(dataDir, 'published-views.sqlite') });
    const lines: string[] = [];
    const engine = createSparkAnalyticsEngine({
      spark: { ...(spark.endpoint() as unknown as SparkEndpoint), jobs: path.join(repoRoot, 'spark-jobs') },
      lake: hdfsLake(r.hdfs, r.root),
      lakeFiles: webHdfs(r.hdfs),
      jobTimeoutMs: 15 * 60_000,
      onLine: (l) => lines.push(l),
    });
    try {
      // A queue of its own: the platform's already runs its own (embedded) publication's daily job.
      const publication = createAnalyticsPublication({ ledger: platform.ledger, clock: platform.clock, ids: platform.ids, jobs: createInProcessJobQueue(), snapshots, ...readers, engine, onError: () => {} });
      const published = await publication.publish(readers.last, origin);

      // The embedded engine on the same closes: the windows the publication had (the 24h one has no minute candles here).
      const windows = [];
      for (const window of ['30d', '90d', '365d'] as CorrelationWindow[]) windows.push({ window, ...(await windowReturns(readers, { symbols: null, top: 100, asOf: readers.last, window })) });
      const embedded = await embeddedAnalyticsEngine.views(readers.last, 0.5, windows);

      expect(published.map((v) => v.view)).toEqual(embedded.map((v) => v.view));
      expect(published.length).toBe(12);
      // Coins listed inside the year (their first returns missing) are in the 365-day views.
      expect(published.at(-1)!.symbols.length).toBeGreaterThanOrEqual(20);
      expect(published.flatMap((v, k) => differences(v.view, v.content, embedded[k]!.content))).toEqual([]);
      // Something to compare: every network has edges, a tree over most symbols and paths to both anchors.
      for (const v of published.filter((p) => p.view.startsWith('network/'))) {
        const n = v.content as NetworkContent;
        expect(n.edges.length).toBeGreaterThan(0);
        expect(Object.keys(n.shortestPaths)).toEqual(['BTC-USD', 'ETH-USD']);
      }

      const events = (await platform.ledger.read(0, 1_000)).filter((e) => e.type === 'BatchViewPublished');
      expect(events.map((e) => (e.data as { view: string }).view)).toEqual(published.map((v) => v.view));
      for (const [k, e] of events.entries()) {
        const d = e.data as { engine: string; contentHash: string; asOf: string; version: number };
        expect(d.engine).toBe('spark');
        expect(d.asOf).toBe(published[k]!.content.asOf);
        expect(d.version).toBe(Math.round(readers.last / DAY_MS));
        const { contentHash: hash, ...content } = published[k]!.content;
        expect(d.contentHash).toBe(hash);
        expect(contentHash(content)).toBe(hash);
      }
      // The routes answer a matching query with the view Spark published, naming its event and engine.
      const app = await buildServer({ ...platform, analytics: publication }, { logger: false });
      try {
        const api = withKey(app, (await issueKey(platform, 'viewer', 'analyst')).key);
        for (const [route, view] of [['correlation?window=365&method=spearman', 'correlation/365d/spearman'], ['network?window=90&method=pearson', 'network/90d/pearson/0.5']] as const) {
          const r = await api.inject(`/api/v1/analytics/${route}&asOf=${utcDay(readers.last)}`);
          expect(r.statusCode, route).toBe(200);
          const body = r.json();
          const entry = published.find((v) => v.view === view)!;
          expect({ source: body.source, publication: body.publication, contentHash: body.contentHash }, route).toEqual({
            source: 'published',
            publication: { position: entry.position, engine: 'spark', version: Math.round(readers.last / DAY_MS) },
            contentHash: entry.content.contentHash,
          });
          expect(body.symbols).toEqual(entry.content.symbols);
        }
      } finally {
        await app.close();
      }
      const sameHashes = published.filter((v, k) => v.contentHash === embedded[k]!.contentHash).length;
      console.log(`analytics parity: ${sameHashes} of ${published.length} content hashes equal across engines; spark lines ${lines.length}`);
    } finally {
      await snapshots.close();
      await cleanup();
      await r.cleanup();
    }
  });
});
