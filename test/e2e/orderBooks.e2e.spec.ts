/**
 * Order books through the embedded platform: book items a source emits go through ingest to the
 * archive; GET /api/v1/orderbook/{symbol} answers the live books (each exchange's and the
 * consolidated one, with their views); with `at` it replays the lake and matches the book as it
 * was then; a lake file altered after its digest was recorded makes that replay a 409 naming the
 * file; WS /ws/book/{symbol} sends the books with a viewer's key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/adapters/http/server.js';
import { localBookLake } from '../../src/adapters/lake/orderbook/localBookLake.js';
import { generateBookScenario } from '../../src/adapters/sources/simulator/bookGenerator.js';
import type { Platform } from '../../src/app/platform.js';
import type { BookDigestRecordedData } from '../../src/domain/events/bookDigests.js';
import type { BookRow } from '../../src/domain/orderbook/archive/bookRow.js';
import type { BookItem } from '../../src/domain/ports.js';
import { bookSource, referenceAt } from '../support/bookItems.js';
import { issueKey, openTestPlatform, withKey, type KeyedClient } from '../support/platform.js';

const SECOND = 1_000;

const snapshot = (exchange: string, eventTime: number, bids: Array<[string, string]>, asks: Array<[string, string]>, sequence?: number): BookItem => ({
  kind: 'bookSnapshot',
  data: { exchange, symbol: 'BTC-USDT', bids, asks, eventTime, ...(sequence === undefined ? {} : { sequence }) },
});
const update = (exchange: string, eventTime: number, bids: Array<[string, string]>, asks: Array<[string, string]>, sequence?: number): BookItem => ({
  kind: 'bookUpdate',
  data: { exchange, symbol: 'BTC-USDT', bids, asks, eventTime, ...(sequence === undefined ? {} : { sequence, prevSequence: sequence - 1 }) },
});

describe('order books over HTTP and WebSocket (embedded platform)', () => {
  let platform: Platform;
  let dataDir: string;
  let app: FastifyInstance;
  let api: KeyedClient;
  let key: string;
  let cleanup: () => Promise<void>;
  // Ten minutes ago, on a whole second: every interval of the test has long ended by the clock.
  const t0 = Date.now() - 10 * 60 * SECOND - (Date.now() % SECOND);
  // okx: 60 updates 100 ms apart (6 s, so 6 one-second intervals); kraken: a crossed book (its bid above okx's ask).
  const okx: BookItem[] = [snapshot('okx', t0, [['99.5', '1'], ['99', '2']], [['100.5', '1'], ['101', '3']], 1000)];
  for (let i = 1; i <= 60; i++) {
    okx.push(update('okx', t0 + i * 100, [[`${99 - (i % 7) / 10}`, i % 5 === 0 ? '0' : `${i % 4}.5`]], [[`${100.5 + (i % 6) / 10}`, i % 3 === 0 ? '0' : `${(i % 5) + 1}`]], 1000 + i));
  }
  const kraken: BookItem[] = [snapshot('kraken', t0 + 50, [['101.5', '2']], [['102', '1']])];
  const all = [...okx, ...kraken];

  beforeEach(async () => {
    ({ platform, dataDir, cleanup } = await openTestPlatform({ bookIntervalMs: SECOND, bookGraceMs: 0, bookSnapshotMs: 2 * SECOND }));
    app = await buildServer(platform, { logger: false });
    ({ key } = await issueKey(platform, 'viewer'));
    api = withKey(app, key);
    await platform.ingest(bookSource([okx.slice(0, 20), okx.slice(20), kraken]), new AbortController().signal);
  });
  afterEach(async () => {
    await app.close();
    await cleanup();
  });

  it('answers the live books: each exchange at its last update, and the consolidated book crossed by kraken', async () => {
    const res = await api.inject('/api/v1/orderbook/BTC-USDT?depth=3');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.source).toBe('live');
    expect(body.exchanges.map((x: { exchange: string }) => x.exchange)).toEqual(['kraken', 'okx']);
    const okxBook = body.exchanges[1];
    expect({ bids: okxBook.bids, asks: okxBook.asks }).toEqual(referenceAt(all, 'okx', Infinity).top(3));
    expect(okxBook.sequence).toBe(1060);
    const bid = Number(okxBook.bids[0][0]);
    const ask = Number(okxBook.asks[0][0]);
    expect(okxBook.view.spread).toBeCloseTo(ask - bid, 12);
    expect(okxBook.view.spreadBps).toBeCloseTo(((ask - bid) / ((ask + bid) / 2)) * 10_000, 9);
    expect(okxBook.view.depth.map((d: { percent: number }) => d.percent)).toEqual([0.1, 0.5, 1]);
    expect(body.consolidated.view.bestBid.price).toBe(101.5);
    expect(body.consolidated.crossed).toBe(true);
    // kraken bids 101.5, okx's asks are all at or below 101.1: buying on okx and selling on kraken pays after two 10 bps fees.
    const [arb] = body.consolidated.arbitrage;
    expect(body.consolidated.arbitrage).toHaveLength(1);
    expect(arb).toMatchObject({ buyOn: 'okx', sellOn: 'kraken', buyAt: ask, sellAt: 101.5 });
    expect(arb.edgeBps).toBeCloseTo(((101.5 * 0.999 - ask * 1.001) / ask) * 10_000, 9);
    const one = (await api.inject('/api/v1/orderbook/BTC-USDT?exchange=okx')).json();
    expect(one.exchanges.map((x: { exchange: string }) => x.exchange)).toEqual(['okx']);
    expect(one.consolidated.crossed).toBe(false);
  });

  it('replays the lake at past instants to the book as it was then, with the files and digests it checked', async () => {
    await platform.orderBooks.archive.flush();
    for (const at of [t0 + 50, t0 + 1_234, t0 + 3_999, t0 + 5_500]) {
      const res = await api.inject(`/api/v1/orderbook/BTC-USDT?exchange=okx&depth=50&at=${new Date(at).toISOString()}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.source).toBe('lake');
      expect({ bids: body.exchanges[0].bids, asks: body.exchanges[0].asks }).toEqual(referenceAt(all, 'okx', at).top(50));
      expect(body.proofs[0].files.length).toBeGreaterThan(0);
    }
  });

  it('refuses to replay from a lake file altered after its digest, naming the file', async () => {
    await platform.orderBooks.archive.flush();
    const digests = (await platform.ledger.readTypes(0, ['BookDigestRecorded'], 1_000)).map((e) => ({ ...(e.data as BookDigestRecordedData), position: e.position }));
    const target = digests.find((d) => d.exchange === 'okx' && d.intervalStart === t0 + 2 * SECOND)!;
    const lake = localBookLake(path.join(dataDir, 'lake'));
    const rows = (await lake.readRows(target.file))!.map((t) => JSON.parse(t) as BookRow);
    // One quantity changed: the kind of edit someone hiding a spoofed order would make.
    const last = rows.at(-1)!;
    const altered: BookRow = { ...last, data: { ...last.data, bids: last.data.bids.map(([p]) => [p, '999'] as const) } } as BookRow;
    await lake.writeRows(target.file, [...rows.slice(0, -1), altered]);
    const res = await api.inject(`/api/v1/orderbook/BTC-USDT?exchange=okx&at=${t0 + 2_900}`);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'conflict', details: { reason: 'lake_tampered', file: target.file, digestPosition: target.position } });
    // An instant whose files are untouched still replays.
    expect((await api.inject(`/api/v1/orderbook/BTC-USDT?exchange=okx&at=${t0 + 1_500}`)).statusCode).toBe(200);
  });

  it('answers 400 for a bad depth, exchange or instant', async () => {
    for (const [q, message] of [
      ['depth=0', /depth/],
      ['exchange=OKX!', /exchange/],
      ['at=yesterday', /at/],
    ] as const) {
      const res = await api.inject(`/api/v1/orderbook/BTC-USDT?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().message).toMatch(message);
    }
  });

  it('raises a spoofing alert through the alert pipeline, with the vanished levels as evidence', async () => {
    const scenario = generateBookScenario({ seed: 5, exchange: 'bybit', symbol: 'BTC-USDT', start: t0, durationMs: 3 * 60 * SECOND, stepMs: 100, episodes: 1, rounds: 4 });
    await platform.ingest(bookSource([scenario.items]), new AbortController().signal);
    const res = await api.inject('/api/v1/alerts?symbol=BTC-USDT');
    expect(res.statusCode, res.body).toBe(200);
    const alerts = (res.json() as { alerts: Array<{ ruleId: string; detector: string; eventTime: number; evidence: { exchange: string; side: string; vanished: unknown[] } }> }).alerts.filter((a) => a.ruleId === 'book-spoofing');
    expect(alerts).toHaveLength(1);
    const [truth] = scenario.episodes;
    expect(alerts[0]!.evidence).toMatchObject({ exchange: 'bybit', side: truth!.side });
    expect(alerts[0]!.evidence.vanished.length).toBeGreaterThanOrEqual(3);
    expect(alerts[0]!.eventTime).toBeGreaterThanOrEqual(truth!.start);
    expect(alerts[0]!.eventTime).toBeLessThanOrEqual(truth!.end);
  });

  it('raises a cross-exchange arbitrage alert through the alert pipeline once an edge beyond both fees lasts 2 s, with both books as evidence', async () => {
    // bitstamp asks 100.00 while gemini bids 100.50 (30 bps after 10 bps a leg), from t0 + 1 s to t0 + 4 s.
    const bitstamp = (t: number): BookItem[] => [snapshot('bitstamp', t, [['99.90', '2']], [['100.00', '1.5']])];
    const gemini = (t: number, bid: string, ask: string): BookItem[] => [snapshot('gemini', t, [[bid, '0.7']], [[ask, '3']])];
    const batches = [
      [...bitstamp(t0), ...gemini(t0, '99.95', '100.05')],
      gemini(t0 + 1 * SECOND, '100.50', '100.60'),
      gemini(t0 + 2 * SECOND, '100.50', '100.60'),
      bitstamp(t0 + 3 * SECOND + 500),
      gemini(t0 + 4 * SECOND, '99.95', '100.05'),
    ];
    await platform.ingest(bookSource(batches), new AbortController().signal);
    const res = await api.inject('/api/v1/alerts?symbol=BTC-USDT');
    expect(res.statusCode, res.body).toBe(200);
    const alerts = (res.json() as { alerts: Array<{ ruleId: string; eventTime: number; status?: string; evidence: { buyOn: string; sellOn: string; openedAt: number; books: Array<{ exchange: string; bids: unknown[]; asks: unknown[] }> } }> }).alerts.filter((a) => a.ruleId === 'book-arbitrage');
    // The shared fixture's kraken book (crossed) makes edges of its own: this test's pair is bitstamp → gemini.
    const ours = alerts.filter((x) => x.evidence.buyOn === 'bitstamp' && x.evidence.sellOn === 'gemini');
    expect(ours).toHaveLength(1);
    alerts.splice(0, alerts.length, ...ours);
    expect(alerts[0]!.evidence).toMatchObject({ buyOn: 'bitstamp', sellOn: 'gemini', openedAt: t0 + SECOND });
    expect(alerts[0]!.eventTime).toBe(t0 + 3 * SECOND + 500);
    expect(alerts[0]!.evidence.books.map((b) => [b.exchange, b.bids[0], b.asks[0]])).toEqual([
      ['bitstamp', ['99.90', '2'], ['100.00', '1.5']],
      ['gemini', ['100.50', '0.7'], ['100.60', '3']],
    ]);
    expect(res.body).toContain('book-arbitrage');
  });

  it('streams the books over WebSocket with a key in the query', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/book/BTC-USDT?key=${key}`);
    const first = await new Promise<{ type: string; exchanges: Array<{ exchange: string }>; consolidated: { crossed: boolean } }>((resolve, reject) => {
      ws.once('message', (m) => resolve(JSON.parse(String(m))));
      ws.once('error', reject);
    });
    ws.close();
    expect(first.type).toBe('book');
    expect(first.exchanges.map((x) => x.exchange)).toEqual(['kraken', 'okx']);
    expect(first.consolidated.crossed).toBe(true);
  });
});

describe('book rules registered over HTTP (embedded platform)', () => {
  it('a rule of a book detector may name a symbol the platform has books of and no trades (live, then from the ledger\'s digests after a restart); a trade detector may not', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tv-book-rules-'));
    let { platform } = await openTestPlatform({ bookIntervalMs: SECOND, bookGraceMs: 0 }, dataDir);
    let app = await buildServer(platform, { logger: false });
    try {
      const { key } = await issueKey(platform, 'trader');
      const post = (payload: object) => withKey(app, key).inject({ method: 'POST', url: '/api/v1/alert-rules', payload });
      const rule = (ruleId: string, detector: string) => ({ ruleId, detector, symbols: ['SOL-USDT'], severity: 'warning' });
      // Neither trades nor books of SOL-USDT yet.
      const none = await post(rule('early', 'spoofing'));
      expect(none.statusCode, none.body).toBe(404);
      expect(none.json().message).toMatch(/unknown symbol SOL-USDT: the platform has recorded no trades or books of it/);

      const t0 = Date.now() - 10 * 60 * SECOND - (Date.now() % SECOND);
      const sol = (item: BookItem): BookItem => ({ ...item, data: { ...item.data, symbol: 'SOL-USDT' } }) as BookItem;
      await platform.ingest(bookSource([[sol(snapshot('okx', t0, [['99', '1']], [['101', '1']], 1)), sol(update('okx', t0 + 100, [['99.5', '2']], [], 2))]]), new AbortController().signal);
      expect((await withKey(app, key).inject('/api/v1/symbols')).json()).not.toContain('SOL-USDT');
      for (const detector of ['spoofing', 'book-arbitrage']) {
        const r = await post(rule(`sol-${detector}`, detector));
        expect(r.statusCode, r.body).toBe(201);
      }
      const trades = await post(rule('sol-flash', 'flash-move'));
      expect(trades.statusCode, trades.body).toBe(404);
      expect(trades.json().message).toMatch(/recorded no trades of it/);
      expect((await post({ ruleId: 'all-books', detector: 'spoofing', symbols: '*', severity: 'info' })).statusCode).toBe(201);

      // Every interval closed and digested, the journal empty: a restarted process holds no live book of SOL-USDT, the ledger knows it.
      await platform.orderBooks.archive.flush();
      await app.close();
      await platform.close();
      ({ platform } = await openTestPlatform({ bookIntervalMs: SECOND, bookGraceMs: 0 }, dataDir));
      expect([...platform.orderBooks.archive.books()]).toEqual([]);
      app = await buildServer(platform, { logger: false });
      const again = await post(rule('sol-later', 'spoofing'));
      expect(again.statusCode, again.body).toBe(201);
    } finally {
      await app.close();
      await platform.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("a user's spoofing rule raises under its own id and severity, and the retired default rule raises nothing", async () => {
    const { platform, cleanup } = await openTestPlatform();
    const app = await buildServer(platform, { logger: false });
    try {
      const api = withKey(app, (await issueKey(platform, 'trader')).key);
      const post = (payload: object) => api.inject({ method: 'POST', url: '/api/v1/alert-rules', payload });
      const bad = await post({ detector: 'spoofing', symbols: '*', severity: 'critical', params: { sizeMultiple: 1 } });
      expect(bad.statusCode, bad.body).toBe(400);
      expect(bad.json().message).toMatch(/params\.sizeMultiple: expected a number from 1\.5 to 1000/);
      const created = await post({ ruleId: 'desk-spoofing', detector: 'spoofing', symbols: '*', severity: 'critical', params: { nearTouchBps: 50 } });
      expect(created.statusCode, created.body).toBe(201);
      expect((await api.inject({ method: 'DELETE', url: '/api/v1/alert-rules/book-spoofing' })).statusCode).toBe(200);

      const t0 = Date.now() - 10 * 60 * SECOND - (Date.now() % SECOND);
      const scenario = generateBookScenario({ seed: 5, exchange: 'bybit', symbol: 'BTC-USDT', start: t0, durationMs: 3 * 60 * SECOND, stepMs: 100, episodes: 1, rounds: 4 });
      await platform.ingest(bookSource([scenario.items]), new AbortController().signal);
      const alerts = (await api.inject('/api/v1/alerts?symbol=BTC-USDT')).json().alerts as Array<{ ruleId: string; detector: string; severity: string }>;
      expect(alerts.filter((a) => a.ruleId === 'book-spoofing')).toEqual([]);
      const ours = alerts.filter((a) => a.ruleId === 'desk-spoofing');
      expect(ours.length).toBeGreaterThanOrEqual(1);
      for (const a of ours) expect(a).toMatchObject({ detector: 'spoofing', severity: 'critical' });
    } finally {
      await app.close();
      await cleanup();
    }
  });
});
