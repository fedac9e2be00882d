/**
 * The analytics routes over HTTP on each profile: the correlation matrix of the merged 1d candles'
 * returns (pairwise over shared days), the network of the top symbols by quote volume, the daily
 * publication as BatchViewPublished events whose published views the routes serve where a query
 * matches one (on demand otherwise), and 400s that name what is accepted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/adapters/http/server.js';
import type { Config } from '../../src/app/config.js';
import type { Platform } from '../../src/app/platform.js';
import { pearson } from '../../src/domain/analytics/correlation.js';
import { DAY_MS, bucketStart, utcDay } from '../../src/domain/time.js';
import { queryCorrelation } from '../../src/read-models/analytics/analyticsQuery.js';
import { contentHash } from '../../src/read-models/analytics/contentHash.js';
import { provenEventAt } from '../support/provenEvent.js';
import { clusterStack } from '../support/clusterProfile.js';
import { issueKey, openTestPlatform, origin, trade, withKey, type KeyedClient } from '../support/platform.js';

const PROFILES: Array<{ name: string; skip: boolean; settings: () => Partial<Config> }> = [
  { name: 'embedded', skip: false, settings: () => ({}) },
  { name: 'cluster', skip: clusterStack.skip, settings: () => clusterStack.config() },
];

const DAYS = 40;
/** XRP has no trade this day: its returns into and out of it are missing, and its pairs share two fewer. */
const MISSING = 25;
const SYMBOLS = ['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'XRP-USDT'] as const;
/** Quantity per trade: XRP trades least, so the top three by quote volume leave it out. */
const QUANTITY: Record<string, string> = { 'BTC-USDT': '50', 'ETH-USDT': '40', 'SOL-USDT': '30', 'XRP-USDT': '0.001' };

describe.each(PROFILES)('analytics API ($name platform)', ({ skip, settings }) => {
  if (skip) return void it.skip('needs the stack');
  let platform: Platform;
  let app: FastifyInstance;
  /** A viewer's client: reading analytics is a viewer's (routeRoles.ts). */
  let api: KeyedClient;
  let cleanup: () => Promise<void>;
  const yesterday = bucketStart(Date.now(), '1d') - DAY_MS;
  const dayStart = (i: number) => yesterday - (DAYS - 1 - i) * DAY_MS;
  // ETH follows BTC closely, SOL loosely, XRP goes its own way.
  const btc = Array.from({ length: DAYS }, (_, i) => 100 * (1 + 0.2 * Math.sin(i * 1.3)));
  const closes: Record<string, number[]> = {
    'BTC-USDT': btc,
    'ETH-USDT': btc.map((c, i) => c * 0.5 * (1 + 0.01 * Math.cos(i))),
    'SOL-USDT': btc.map((c, i) => c * 0.1 * (1 + 0.2 * Math.sin(i * 2.9))),
    'XRP-USDT': btc.map((_, i) => 1 + 0.3 * Math.sin(i * 0.7 + 1)),
  };
  const price = (s: string, i: number) => Number(closes[s]![i]!.toFixed(6));

  beforeEach(async () => {
    ({ platform, cleanup } = await openTestPlatform(settings()));
    app = await buildServer(platform, { logger: false });
    api = withKey(app, (await issueKey(platform, 'viewer', 'analyst')).key);
    const items = SYMBOLS.flatMap((s) => closes[s]!.flatMap((c, i) =>
      s === 'XRP-USDT' && i === MISSING ? [] : [trade(`${s}-${i}`, c.toFixed(6), dayStart(i) + 12 * 3_600_000, { symbol: s, quantity: QUANTITY[s] })]));
    const r = await platform.commands.recordObservations({ origin, items });
    await platform.batchProjector.runThrough(r.lastPosition);
  });
  afterEach(async () => {
    await app.close();
    await cleanup();
  });

  /** Day i's return of a symbol, or undefined where a close is missing. */
  const dayReturn = (s: string, i: number): number | undefined =>
    s === 'XRP-USDT' && (i === MISSING || i - 1 === MISSING) ? undefined : price(s, i) / price(s, i - 1) - 1;

  it('answers the Pearson matrix of the window, pairwise over the days both symbols have', async () => {
    const r = await api.inject(`/api/v1/analytics/correlation?symbols=${SYMBOLS.join(',')}&window=30`);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ asOf: utcDay(yesterday), symbols: SYMBOLS, selection: 'given', degraded: false, definitions: { method: 'pearson', window: '30d', interval: '1d' } });
    SYMBOLS.forEach((a, i) => SYMBOLS.forEach((b, j) => {
      const days = Array.from({ length: 30 }, (_, k) => DAYS - 30 + k).filter((d) => dayReturn(a, d) !== undefined && dayReturn(b, d) !== undefined);
      expect(body.shared[i][j]).toBe(days.length);
      const want = i === j ? 1 : pearson(days.map((d) => dayReturn(a, d)!), days.map((d) => dayReturn(b, d)!));
      expect(Math.abs(body.matrix[i][j] - want)).toBeLessThanOrEqual(1e-12);
    }));
    expect(body.shared[0][3]).toBe(28);
    expect(body.matrix[0][1]).toBeGreaterThan(0.9);
    const { selection: _s, batch, degraded: _d, contentHash: hash, source, ...content } = body;
    expect(source).toBe('on-demand');
    expect(hash).toBe(contentHash(content));
    expect(Object.keys(batch)).toEqual([...SYMBOLS]);
  });

  it('answers the network of the top symbols by quote volume', async () => {
    const r = await api.inject('/api/v1/analytics/network?top=3&window=30&method=spearman&threshold=0.6');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.symbols).toEqual(['BTC-USDT', 'ETH-USDT', 'SOL-USDT']);
    expect(body.selection).toEqual({ topByQuoteVolume: 3, among: 4 });
    expect(body.definitions).toMatchObject({ method: 'spearman', threshold: 0.6, pagerank: { alpha: 0.85 } });
    expect(body.nodes.reduce((s: number, n: { pagerank: number }) => s + n.pagerank, 0)).toBeCloseTo(1, 9);
    expect(body.spanningTree).toHaveLength(2);
    expect(Object.keys(body.shortestPaths)).toEqual(['BTC-USDT', 'ETH-USDT']);
    expect(body.shortestPaths['BTC-USDT']['BTC-USDT']).toEqual({ distance: 0, path: ['BTC-USDT'] });
    for (const e of body.edges) expect(Math.abs(e.rho)).toBeGreaterThanOrEqual(0.6);
  });

  it('publishes every window and method as BatchViewPublished once per content, and serves a published view where a query matches it', async () => {
    const published = await platform.analytics.publish(yesterday, origin);
    // 30, 90 and 365 days (24h has no minute candles here: one trade a day), two methods, matrix and network.
    expect(published.map((p) => p.view).sort()).toEqual(
      ['30d', '90d', '365d'].flatMap((w) => ['pearson', 'spearman'].flatMap((m) => [`correlation/${w}/${m}`, `network/${w}/${m}/0.5`])).sort(),
    );
    expect(published.every((p) => p.recorded)).toBe(true);
    const events = (await platform.ledger.readStream('views/network/30d/spearman/0.5')).filter((e) => e.type === 'BatchViewPublished');
    expect(events).toHaveLength(1);
    const served = (await api.inject('/api/v1/analytics/network?window=30&method=spearman')).json();
    expect(events[0]!.data).toMatchObject({ view: 'network/30d/spearman/0.5', asOf: utcDay(yesterday), engine: 'ts', contentHash: served.contentHash, symbols: [...SYMBOLS] });
    const again = await platform.analytics.publish(yesterday, origin);
    expect(again.every((p) => !p.recorded)).toBe(true);

    // The routes serve a published view as published, with its event; any other is computed on demand.
    const event = published.find((p) => p.view === 'correlation/90d/spearman')!;
    // The published symbols in another order: the same set, so the published view (in its own order).
    const reordered = [...SYMBOLS].reverse().join(',');
    const matrix = (await api.inject(`/api/v1/analytics/correlation?symbols=${reordered}&window=90&method=spearman&asOf=${utcDay(yesterday)}`)).json();
    const { selection, batch: _b, degraded: _d, contentHash: hash, source, publication, ...content } = matrix;
    expect({ source, publication, selection }).toEqual({ source: 'published', publication: { position: event.position, engine: 'ts', version: yesterday / DAY_MS }, selection: { topByQuoteVolume: 100, among: 4 } });
    const { contentHash: publishedHash, ...publishedContent } = event.content;
    expect(content).toEqual(publishedContent);
    expect(hash).toBe(publishedHash);
    // Its hash verifies, and the position's inclusion proof holds the BatchViewPublished that committed to it.
    expect(contentHash(content)).toBe(hash);
    const proven = await provenEventAt(platform.ledger, publication.position);
    expect(proven).toMatchObject({ type: 'BatchViewPublished', data: { view: 'correlation/90d/spearman', asOf: utcDay(yesterday), contentHash: hash, engine: 'ts' } });

    // Where both exist they agree: the same view computed on demand by the embedded engine.
    const onDemand = await queryCorrelation({ ohlcv: platform.queries.ohlcv, symbols: platform.queries.symbols }, { symbols: null, top: 100, asOf: yesterday, window: '90d', method: 'spearman' });
    expect(onDemand.contentHash).toBe(hash);

    // Another symbol set, another as-of day, another threshold, another top: nothing published, so on demand.
    for (const query of [
      `correlation?symbols=BTC-USDT,ETH-USDT&window=90&method=spearman`,
      `correlation?window=90&method=spearman&asOf=${utcDay(yesterday - DAY_MS)}`,
      `network?window=90&method=spearman&threshold=0.6`,
      `network?window=90&method=spearman&top=3`,
    ]) {
      const r = (await api.inject(`/api/v1/analytics/${query}`)).json();
      expect(r.source, query).toBe('on-demand');
      expect(r.publication, query).toBeUndefined();
    }
    const network = (await api.inject('/api/v1/analytics/network?window=90&method=spearman')).json();
    expect(network).toMatchObject({ source: 'published', publication: { position: published.find((p) => p.view === 'network/90d/spearman/0.5')!.position } });
  });

  it('refuses what it cannot answer, naming what is accepted', async () => {
    for (const [query, says] of [
      ['window=7', 'window: expected 30, 90 or 365'],
      ['method=kendall', 'method: expected pearson or spearman'],
      ['symbols=BTC-USDT', 'symbols: expected 2 to 1000'],
      ['top=1', 'top (symbols by quote volume)'],
      ['asOf=2999-01-01', 'asOf: expected a complete UTC day'],
    ] as const) {
      const r = await api.inject(`/api/v1/analytics/correlation?${query}`);
      expect(r.statusCode, query).toBe(400);
      expect(r.body).toContain(says);
    }
    const r = await api.inject('/api/v1/analytics/network?threshold=2');
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('threshold: expected |rho| from 0 to 1');
  });
});
