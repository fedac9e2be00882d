/**
 * The whole platform over HTTP and WebSocket, on each profile: the cluster profile (PostgreSQL
 * ledger, Redis live views and fan-out, BullMQ jobs) must answer exactly as the embedded one.
 */
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/adapters/http/server.js';
import type { Platform } from '../../src/app/platform.js';
import type { Config } from '../../src/app/config.js';
import { utcDay } from '../../src/domain/time.js';
import { DEFAULT_ALERT_RULES, DEFAULT_BOOK_RULES } from '../../src/projections/alerts/defaultRules.js';
import { clusterStack } from '../support/clusterProfile.js';
import { issueKey, openTestPlatform, origin, trade, withKey, type KeyedClient } from '../support/platform.js';

const MIN = 60_000;

const PROFILES: Array<{ name: string; skip: boolean; settings: () => Partial<Config> }> = [
  { name: 'embedded', skip: false, settings: () => ({}) },
  { name: 'cluster', skip: clusterStack.skip, settings: () => clusterStack.config() },
];

describe.each(PROFILES)('HTTP API ($name platform)', ({ skip, settings }) => {
  if (skip) return void it.skip('needs the stack');
  let platform: Platform;
  let app: FastifyInstance;
  /** The server as a compliance officer's key reaches it: the cluster profile answers nothing without a key, and replay and corrections need that role on every profile. */
  let api: KeyedClient;
  let key: string;
  let cleanup: () => Promise<void>;
  const now = Date.now();
  const t0 = now - (now % (60 * MIN)) - 2 * 60 * MIN; // two hours ago, on the hour

  beforeEach(async () => {
    ({ platform, cleanup } = await openTestPlatform(settings()));
    // Started means its followers have caught up: on the cluster profile the alert engine joins a
    // Kafka consumer group after open returns, and the short tests closed the platform before
    // that join had landed (measured: their engine's stop took 40 ms instead of the 5 s of
    // leaving a group), a race that load turns against them. Wait for the join, not for luck.
    await platform.alertEngine.caughtUp;
    app = await buildServer(platform, { logger: false });
    ({ key } = await issueKey(platform, 'compliance'));
    api = withKey(app, key);
  });
  afterEach(async () => {
    await app.close();
    await cleanup();
  });

  const record = async (items: ReturnType<typeof trade>[]) => {
    const r = await platform.commands.recordObservations({ origin, items });
    await platform.liveProjection.waitFor(r.lastPosition);
    return r;
  };

  it('answers 400 with what was wrong, and 404 for unknown symbols', async () => {
    await record([trade('1', '100', t0)]);
    const cases: Array<[string, RegExp]> = [
      ['/api/v1/ohlcv/BTC-USDT?interval=2m', /interval: expected one of/],
      ['/api/v1/ohlcv/BTCUSDT', /BASE-QUOTE/],
      [`/api/v1/ohlcv/BTC-USDT?from=${t0}&to=${t0}`, /must be before/],
      [`/api/v1/ohlcv/BTC-USDT?interval=1m&from=0&to=${t0}`, /narrow from\/to or use a larger interval/],
      ['/api/v1/ohlcv/BTC-USDT?from=yesterday', /from: expected epoch milliseconds or an ISO-8601/],
      ['/api/v1/compliance/replay?symbol=BTC-USDT', /asOf: required/],
      [`/api/v1/compliance/replay?symbol=BTC-USDT&asOf=${t0}&day=01-02-2024`, /day: expected yyyy-mm-dd/],
      [`/api/v1/compliance/replay?symbol=BTC-USDT&asOf=${t0}&day=${utcDay(t0 + 86_400_000)}`, /starts after asOf/],
    ];
    for (const [url, message] of cases) {
      const r = await api.inject(url);
      expect(r.statusCode, url).toBe(400);
      expect(r.json().message).toMatch(message);
    }
    expect((await api.inject('/api/v1/realtime/ETH-USDT')).statusCode).toBe(404);
    expect((await api.inject('/api/v1/nothing')).json()).toMatchObject({ error: 'not_found' });
    const bad = await api.inject({ method: 'POST', url: '/api/v1/corrections', payload: { target: { exchange: 'binance', symbol: 'BTC-USDT', tradeId: '1' }, action: 'replace', reason: 'x' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/replacement/);
  });

  it('serves realtime, and OHLCV merged from batch and speed with the layers named', async () => {
    await record([trade('1', '100', t0 + 1_000), trade('2', '101', t0 + 30 * MIN)]);
    await platform.batchProjector.runOnce();
    await record([trade('3', '105', t0 + 45 * MIN), trade('4', '99', t0 + 70 * MIN)]);
    const rtReply = await api.inject('/api/v1/realtime/BTC-USDT');
    expect(rtReply.headers['content-type']).toBe('application/json; charset=utf-8');
    const rt = rtReply.json();
    expect(rt.last.price).toBe('99');
    const r = await api.inject(`/api/v1/ohlcv/BTC-USDT?interval=1h&from=${t0}&to=${t0 + 2 * 60 * MIN}`);
    expect(r.statusCode).toBe(200);
    const a = r.json();
    // Hour 0 straddles computedThrough (t0+29m): batch minutes before it, speed minutes after.
    expect(a.candles.map((c: { open: number; close: number; trades: number }) => [c.open, c.close, c.trades])).toEqual([[100, 105, 3], [99, 99, 1]]);
    expect(a.sources.map((s: { layer: string }) => s.layer)).toEqual(['batch', 'speed']);
    expect(a.batch.computedThrough).toBe(t0 + 29 * MIN);
    expect(a.gaps).toEqual([]);
  });

  it('reports a gap when the speed layer has let go of a range the batch view does not cover yet', async () => {
    await record([trade('1', '100', t0 + 1_000), trade('2', '101', t0 + 30 * MIN)]);
    await platform.batchProjector.runOnce();
    await record([trade('3', '105', t0 + 100 * MIN)]);
    const a = (await api.inject(`/api/v1/ohlcv/BTC-USDT?interval=1m&from=${t0}&to=${t0 + 2 * 60 * MIN}`)).json();
    expect(a.gaps).toHaveLength(1);
    expect(a.gaps[0]).toMatchObject({ from: t0 + 29 * MIN });
    expect(a.gaps[0].reason).toMatch(/speed layer no longer holds/);
  });

  it('without `to`, OHLCV runs to the end of the current minute, so repeated queries within it get the same answer', async () => {
    const minute = Math.floor(Date.now() / MIN) * MIN;
    await record([trade('1', '100', t0 + 1_000), trade('2', '101', minute - 5_000)]);
    // The server reads the time from the platform's clock: this one is set by the test, so both
    // queries fall in the same minute on every run, however slow the machine.
    let clockAt = minute + 1;
    const pinned = await buildServer({ ...platform, clock: { now: () => clockAt } }, { logger: false });
    try {
      const url = `/api/v1/ohlcv/BTC-USDT?interval=1m&from=${t0}`;
      const first = await withKey(pinned, key).inject(url);
      clockAt = minute + MIN - 1;
      const lastOfMinute = await withKey(pinned, key).inject(url);
      expect(first.json().to).toBe(minute + MIN);
      expect(first.json().candles.at(-1).close).toBe(101);
      expect(lastOfMinute.body).toBe(first.body);
      clockAt = minute + MIN + 1;
      expect((await withKey(pinned, key).inject(url)).json().to).toBe(minute + 2 * MIN);
    } finally {
      await pinned.close();
    }
  });

  it('OHLCV is sent gzipped, from bytes compressed once, to clients that take gzip, and as plain JSON to others', async () => {
    await record(Array.from({ length: 120 }, (_, i) => trade(String(i), String(100 + (i % 7)), t0 + i * MIN + 1_000)));
    const url = `/api/v1/ohlcv/BTC-USDT?interval=1m&from=${t0}&to=${t0 + 2 * 60 * MIN}`;
    const plain = await api.inject(url);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['vary']).toMatch(/accept-encoding/i);
    const [a, b] = [await api.inject({ url, headers: { 'accept-encoding': 'br;q=1, gzip;q=0.8' } }), await api.inject({ url, headers: { 'accept-encoding': 'gzip' } })];
    expect(a.statusCode).toBe(200);
    expect(a.headers['content-encoding']).toBe('gzip');
    expect(a.headers['content-type']).toMatch(/^application\/json/);
    expect(gunzipSync(a.rawPayload).equals(plain.rawPayload)).toBe(true);
    expect(a.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    expect(b.rawPayload.equals(a.rawPayload)).toBe(true);
    expect((await api.inject({ url, headers: { 'accept-encoding': 'gzip;q=0, br' } })).headers['content-encoding']).toBeUndefined();
  });

  it('a correction voids a trade in the batch view after its recompute, and replay shows before and after; its actor is the key', async () => {
    await record([trade('1', '100', t0 + 1_000), trade('2', '200', t0 + 2_000), trade('3', '150', t0 + 3 * MIN)]);
    await record([trade('9', '150', t0 + 100 * MIN)]);
    await platform.batchProjector.runOnce();
    const officer = await issueKey(platform, 'compliance', 'compliance desk');
    const api = withKey(app, officer.key);
    const before = Date.now();
    await new Promise((r) => setTimeout(r, 5));
    const body = { correctionId: 'fix-1', target: { exchange: 'binance', symbol: 'BTC-USDT', tradeId: '2' }, action: 'void', reason: 'busted by the exchange' };
    const r = await api.inject({ method: 'POST', url: '/api/v1/corrections', payload: body, headers: { 'x-actor': 'anyone@bank' } });
    expect(r.statusCode).toBe(201);
    // Who asked is the key, whatever the client claims.
    expect((await platform.ledger.read(r.json().position - 1, 1))[0]!.meta.actor).toBe(officer.keyId);
    expect((await api.inject({ method: 'POST', url: '/api/v1/corrections', payload: body })).statusCode).toBe(200);
    await platform.jobs.drain('recompute');
    const day = (await api.inject(`/api/v1/ohlcv/BTC-USDT?interval=1d&from=${t0 - 86_400_000}&to=${t0 + 60 * MIN}`)).json();
    const candle = day.candles.at(-1);
    expect(candle.high).toBe(150);
    expect(day.batch.version).toBe(2);
    // The trades' own day, asked for by name: shortly after midnight UTC, `before` is already on the next one.
    const replay = (await api.inject(`/api/v1/compliance/replay?symbol=BTC-USDT&asOf=${new Date(before).toISOString()}&day=${utcDay(t0)}`)).json();
    expect(replay.day).toBe(utcDay(t0));
    // Known at `before`: trade 2 (200) still stood; now it is void and the day's high is 150.
    expect(replay.asRecorded.dayToT).toMatchObject({ open: 100, high: 200, low: 100, close: 150 });
    expect(replay.validNow.dayToT).toMatchObject({ open: 100, high: 150, low: 100, close: 150 });
    // The correction is named with its position: its proof is one call away.
    expect(replay.correctedSince.map((c: { correctionId: string; position: number }) => [c.correctionId, c.position])).toEqual([['fix-1', r.json().position]]);
    expect((await api.inject(`/api/v1/ledger/proofs/inclusion?position=${replay.correctedSince[0].position}`)).json().eventBytes).toContain('"correctionId":"fix-1"');
    expect(replay.validNow.trades).toBe(replay.asRecorded.trades - 1);
    // The compliance list names the correction, its actor (the key) and its position; a range before it is empty.
    const listed = (await api.inject(`/api/v1/compliance/corrections?symbol=BTC-USDT&from=${before}`)).json();
    expect(listed.corrections).toEqual([expect.objectContaining({ correctionId: 'fix-1', action: 'void', actor: officer.keyId, position: r.json().position, reason: 'busted by the exchange' })]);
    expect((await api.inject(`/api/v1/compliance/corrections?symbol=BTC-USDT&to=${before}`)).json().corrections).toEqual([]);
    expect((await app.inject(`/api/v1/compliance/corrections?symbol=BTC-USDT`)).statusCode).toBe(401);
    expect((await api.inject('/api/v1/ledger/verify?wait=true')).json()).toMatchObject({ ok: true, state: 'idle', failure: null });
    const jobs = (await api.inject('/api/v1/jobs/recompute')).json();
    expect(jobs.counts.failed).toBe(0);
  });

  it('reports health and Prometheus metrics', async () => {
    await record([trade('1', '100', t0)]);
    // The default alert rules are registered on start, then the test's key is issued, then the trade.
    expect((await api.inject('/health')).json()).toMatchObject({ status: 'ok', ledger: { head: DEFAULT_ALERT_RULES.length + DEFAULT_BOOK_RULES.length + 2 } });
    const m = await api.inject('/metrics');
    expect(m.headers['content-type']).toMatch(/text\/plain/);
    expect(m.body).toMatch(new RegExp(`tickvault_ledger_head_position ${DEFAULT_ALERT_RULES.length + DEFAULT_BOOK_RULES.length + 2}\\b`));
    expect(m.body).toMatch(/tickvault_ingest_observations_total\{source="test",outcome="accepted"\} 1/);
    expect(m.body).toMatch(/tickvault_ingest_events_total\{source="test",type="TradeObserved"\} 1/);
  });

  it('streams a symbol\'s trades and candles over WebSocket, and nothing of other symbols', async () => {
    await record([trade('1', '100', now - 1000)]);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/stream/BTC-USDT?key=${key}`);
    const messages: Array<{ type: string; trades?: Array<{ trade: { symbol: string } }> }> = [];
    ws.on('message', (m) => messages.push(JSON.parse(String(m))));
    await new Promise((r) => ws.once('open', r));
    const until = Date.now() + 5000;
    while (messages.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    await record([trade('2', '101', now), trade('x', '5', now, { symbol: 'ETH-USDT' })]);
    while (!messages.some((m) => m.type === 'candle') && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    ws.close();
    expect(messages[0]!.type).toBe('hello');
    const trades = messages.filter((m) => m.type === 'trades').flatMap((m) => m.trades!);
    expect(trades.map((t) => t.trade.symbol)).toEqual(['BTC-USDT']);
    expect(messages.some((m) => m.type === 'candle')).toBe(true);
  });
});
