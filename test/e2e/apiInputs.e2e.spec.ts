/**
 * Input a new user tried first (embedded platform): out-of-range times, limits and rule params
 * are 400s that name the valid range and echo no more than a short prefix of what was sent;
 * commands about symbols the platform never recorded are 404s that say how to list the known
 * ones, and leave the known symbols as they were.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/adapters/http/server.js';
import { openTestPlatform, origin, trade } from '../support/platform.js';
import { issueKey, withKey, type KeyedClient } from '../support/platform.js';

const T = Date.UTC(2024, 0, 1);
const HUGE = '99999999999999999999999';
const RANGE = /from 1970-01-01T00:00:00\.000Z \(0\) to 2100-01-01T00:00:00\.000Z \(4102444800000\)/;

describe('HTTP input bounds (embedded platform)', () => {
  let server: FastifyInstance;
  /** Requests with an admin key: replay and commands are among the routes bounded here. */
  let app: KeyedClient;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const t = await openTestPlatform();
    cleanup = t.cleanup;
    const r = await t.platform.commands.recordObservations({ origin, items: [trade('1', '100', T), trade('2', '101', T + 60_000)] });
    await t.platform.liveProjection.waitFor(r.lastPosition);
    server = await buildServer(t.platform, { logger: false });
    app = withKey(server, (await issueKey(t.platform)).key);
  });
  afterAll(async () => {
    await server.close();
    await cleanup();
  });

  const expect400 = async (url: string, message: RegExp): Promise<void> => {
    const r = await app.inject(url);
    expect(r.statusCode, `${url}: ${r.body}`).toBe(400);
    expect(r.json()).toMatchObject({ error: 'bad_request', message: expect.stringMatching(message) });
  };

  it('times outside 1970..2100, or not in a strict form, are 400s naming the range', async () => {
    await expect400(`/api/v1/ohlcv/BTC-USDT?from=${HUGE}`, RANGE);
    await expect400(`/api/v1/ohlcv/BTC-USDT?to=${HUGE}`, RANGE);
    await expect400(`/api/v1/compliance/replay?symbol=BTC-USDT&asOf=${HUGE}`, RANGE);
    await expect400('/api/v1/ohlcv/BTC-USDT?from=-1', /^from: expected epoch milliseconds.*got "-1"$/);
    await expect400('/api/v1/ohlcv/BTC-USDT?from=2100-01-02', /^from: "2100-01-02" is outside the valid range/);
    await expect400('/api/v1/alerts?to=2024-01-01T12:00:00', /^to: expected .* with its zone/);
    expect((await app.inject(`/api/v1/ohlcv/BTC-USDT?interval=1m&from=2024-01-01T00:00:00Z&to=${T + 120_000}`)).json().candles).toHaveLength(2);
  });

  it('limits and positions are integers within their range', async () => {
    await expect400('/api/v1/alerts?limit=Infinity', /^limit: expected an integer from 1 to 500, got "Infinity"$/);
    await expect400('/api/v1/alerts?limit=0', /limit: expected an integer from 1 to 500/);
    await expect400('/api/v1/alerts?limit=1e2', /limit: expected an integer from 1 to 500/);
    await expect400('/api/v1/alerts?before=-3', /before \(a ledger position\): expected an integer from 1 to/);
    expect((await app.inject('/api/v1/alerts?limit=500')).statusCode).toBe(200);
  });

  it('echoes no more than a short prefix of a huge value', async () => {
    for (const url of [`/api/v1/ohlcv/BTC-USDT?interval=${'x'.repeat(60)}`, `/api/v1/alerts?symbol=${'A'.repeat(10_000)}`, `/api/v1/realtime/${'A'.repeat(10_000)}`, `/nothing/${'A'.repeat(10_000)}`]) {
      const r = await app.inject(url);
      expect(r.statusCode, url.slice(0, 60)).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, url.slice(0, 60)).toBeLessThan(500);
      expect(r.json().message.length, r.json().message).toBeLessThanOrEqual(200);
      expect(r.json().message).not.toContain('A'.repeat(61));
    }
  });

  it('refuses commands about unknown symbols with 404, and the known symbols stay as they were', async () => {
    const known = (await app.inject('/api/v1/symbols')).json();
    expect(known).toEqual({ symbols: ['BTC-USDT'] });
    const refused = [
      { url: '/api/v1/recompute', payload: { symbol: 'FOO-BAR', fromDay: '2024-01-01', toDay: '2024-01-01', reason: 'fix' } },
      { url: '/api/v1/alert-rules', payload: { detector: 'price-level', symbols: ['BTC-USDT', 'FOO-BAR'], params: { level: 105 }, severity: 'info' } },
    ];
    for (const { url, payload } of refused) {
      const r = await app.inject({ method: 'POST', url, payload });
      expect(r.statusCode, r.body).toBe(404);
      expect(r.json()).toEqual({ error: 'not_found', message: 'unknown symbol FOO-BAR: the platform has recorded no trades of it; GET /api/v1/symbols lists the known symbols' });
    }
    expect((await app.inject('/api/v1/symbols')).json()).toEqual(known);
    const recompute = await app.inject({ method: 'POST', url: '/api/v1/recompute', payload: { symbol: 'BTC-USDT', fromDay: '2024-01-01', toDay: '2024-01-01', reason: 'fix' } });
    expect(recompute.statusCode, recompute.body).toBe(202);
    const everywhere = await app.inject({ method: 'POST', url: '/api/v1/alert-rules', payload: { detector: 'price-level', symbols: '*', params: { level: 105 }, severity: 'info' } });
    expect(everywhere.statusCode, everywhere.body).toBe(201);
  });

  it('rule params outside their sane range are 400s naming it', async () => {
    const rule = (params: object): object => ({ detector: 'price-level', symbols: ['BTC-USDT'], params, severity: 'info' });
    const cases: Array<[object, string]> = [
      [{ level: 1e308 }, 'params.level: expected a number from 1e-12 to 1000000000000 (the price level), got 1e+308'],
      [{}, 'params.level: required, a number from 1e-12 to 1000000000000 (the price level)'],
      [{ level: 100, bandBps: 20_000 }, 'params.bandBps: expected a number from 0 to 10000 (the episode ends this far back on the near side, basis points), got 20000'],
    ];
    for (const [params, message] of cases) {
      const r = await app.inject({ method: 'POST', url: '/api/v1/alert-rules', payload: rule(params) });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json()).toEqual({ error: 'bad_request', message });
    }
    const flash = await app.inject({ method: 'POST', url: '/api/v1/alert-rules', payload: { detector: 'flash-move', symbols: '*', params: { historyWindows: 10, minHistoryWindows: 20 }, severity: 'info' } });
    expect(flash.json()).toEqual({ error: 'bad_request', message: 'params.minHistoryWindows: at most params.historyWindows (10), got 20' });
  });
});
