/**
 * The feature route over HTTP on each profile: rows for the bars asked for, computed from the
 * merged candles with the history before `from` (so the first row's returns and RSI are there),
 * order flow from the trades' taker sides, market cap and sentiment as of each bar's end, the
 * batch view version they came from, and a new version (and new values) after a correction;
 * the autocorrelation and seasonal profile of the same rows' returns.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/adapters/http/server.js';
import type { Platform } from '../../src/app/platform.js';
import type { Config } from '../../src/app/config.js';
import { autocorrelation } from '../../src/domain/features/autocorrelation.js';
import type { FeatureRow } from '../../src/domain/features/featureRow.js';
import { seasonalProfile } from '../../src/domain/features/seasonalProfile.js';
import { clusterStack } from '../support/clusterProfile.js';
import { issueKey, openTestPlatform, origin, trade, withKey, type KeyedClient } from '../support/platform.js';

const PROFILES: Array<{ name: string; skip: boolean; settings: () => Partial<Config> }> = [
  { name: 'embedded', skip: false, settings: () => ({}) },
  { name: 'cluster', skip: clusterStack.skip, settings: () => clusterStack.config() },
];

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 4, 1);
const HOURS = 60;
/** Hour h's two trades: a taker buy of 2 at the open, a taker sell of 0.5 at the close. */
const price = (symbol: string, h: number) => (symbol === 'BTC-USDT' ? 60_000 + 500 * Math.sin(h / 3) : 3_000 + 40 * Math.cos(h / 5) + h).toFixed(2);
const hourTrades = (symbol: string, h: number) => [
  trade(`${symbol}-${h}-b`, price(symbol, h), T0 + h * HOUR + 60_000, { symbol, quantity: '2', side: 'buy' }),
  trade(`${symbol}-${h}-s`, price(symbol, h), T0 + h * HOUR + 120_000, { symbol, quantity: '0.5', side: 'sell' }),
];

describe.each(PROFILES)('features API ($name platform)', ({ skip, settings }) => {
  if (skip) return void it.skip('needs the stack');
  let platform: Platform;
  let app: FastifyInstance;
  /** The server as a viewer's key reaches it: the cluster profile answers nothing without a key. */
  let api: KeyedClient;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ platform, cleanup } = await openTestPlatform(settings()));
    app = await buildServer(platform, { logger: false });
    api = withKey(app, (await issueKey(platform, 'viewer', 'feature reader')).key);
    const items = [
      ...['ETH-USDT', 'BTC-USDT'].flatMap((s) => Array.from({ length: HOURS }, (_, h) => hourTrades(s, h)).flat()),
      { kind: 'snapshot' as const, data: { provider: 'coingecko', assetId: 'ethereum', symbol: 'ETH-USDT', priceUsd: '3000', marketCapUsd: '360000000000', volume24hUsd: '1', rank: 2, eventTime: T0 + 40 * HOUR + 30 * 60_000 } },
      { kind: 'sentiment' as const, data: { provider: 'news', symbol: 'ETH-USDT', minute: T0 + 41 * HOUR, score: 0.25, posts: 3 } },
    ];
    const r = await platform.commands.recordObservations({ origin, items });
    await platform.batchProjector.runThrough(r.lastPosition);
  });
  afterEach(async () => {
    await app.close();
    await cleanup();
  });

  const get = async (from: number, to: number): Promise<{ rows: FeatureRow[]; batch: { version: number } }> => {
    const r = await api.inject(`/api/v1/features/eth-usdt?interval=1h&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };

  it('answers the bars asked for, from the history before them, with flow, market and market facts', async () => {
    const body = await get(T0 + 39 * HOUR, T0 + 43 * HOUR);
    expect(body).toMatchObject({ symbol: 'ETH-USDT', interval: '1h', definitionVersion: 1, batch: { view: 'ohlcv' }, gaps: [], degraded: false });
    expect(body.rows.map((r) => r.time)).toEqual([39, 40, 41, 42].map((h) => T0 + h * HOUR));
    const [r39, r40, r41] = body.rows as [FeatureRow, FeatureRow, FeatureRow];
    expect(r39.logReturn24).toBe(Math.log(Number(price('ETH-USDT', 39)) / Number(price('ETH-USDT', 15))));
    expect(r39.logReturn1Lag3).toBe(Math.log(Number(price('ETH-USDT', 36)) / Number(price('ETH-USDT', 35))));
    expect(r39.marketLogReturn1).toBe(Math.log(Number(price('BTC-USDT', 39)) / Number(price('BTC-USDT', 38))));
    expect(r39.rsi14).not.toBeNull();
    expect(r39.realisedVol24).not.toBeNull();
    expect([r39.takerBuyVolume, r39.takerSellVolume, r39.flowImbalance, r39.trades]).toEqual([2, 0.5, 1.5 / 2.5, 2]);
    // Hour 39 is the day's 16th hour (from 00:00): 16 hours of +1.5 each.
    expect(r39.cumulativeVolumeDelta).toBe(16 * 1.5);
    // The snapshot at 40:30 is after hour 39's end, within hour 40's; the sentiment minute is hour 41's first.
    expect([r39.marketCapUsd, r40.marketCapUsd, r40.marketCapRank, r40.sentiment, r41.sentiment]).toEqual([null, 360e9, 2, null, 0.25]);
  });

  it('answers from the new batch version after a correction, with the corrected values', async () => {
    const before = await get(T0 + 45 * HOUR, T0 + 46 * HOUR);
    await platform.commands.issueCorrection({ correctionId: 'f-void', action: 'void', target: { exchange: 'binance', symbol: 'ETH-USDT', tradeId: 'ETH-USDT-45-s' }, reason: 'busted' }, origin);
    await platform.jobs.drain('recompute');
    const after = await get(T0 + 45 * HOUR, T0 + 46 * HOUR);
    expect(after.batch.version).toBe(before.batch.version + 1);
    expect([before.rows[0]!.takerSellVolume, after.rows[0]!.takerSellVolume]).toEqual([0.5, 0]);
    expect(after.rows[0]!.flowImbalance).toBe(1);
  });

  it('answers the autocorrelation of the returns (lags 1..30) and their weekday × hour profile from the same rows', async () => {
    const range = `from=${new Date(T0).toISOString()}&to=${new Date(T0 + HOURS * HOUR).toISOString()}`;
    const rows = (await get(T0, T0 + HOURS * HOUR)).rows;
    const returns = rows.flatMap((r) => (r.logReturn1 === null ? [] : [{ time: r.time, value: r.logReturn1 }]));
    const acf = await api.inject(`/api/v1/features/ETH-USDT/autocorrelation?interval=1h&${range}`);
    expect(acf.statusCode).toBe(200);
    expect(acf.json()).toMatchObject({ observations: HOURS - 1, acf: autocorrelation(returns.map((r) => r.value), 30), batch: { view: 'ohlcv' } });
    const season = await api.inject(`/api/v1/features/ETH-USDT/seasonality?${range}`);
    expect(season.statusCode).toBe(200);
    const cells = season.json().cells as Array<{ dayOfWeek: number; hour: number; count: number }>;
    expect(cells).toEqual(seasonalProfile(returns));
    // 2024-05-01 is a Wednesday: hour 1 of it holds the first return.
    expect(cells.find((c) => c.dayOfWeek === 3 && c.hour === 1)!.count).toBe(1);
  });

  it('refuses an interval it does not serve and an empty range, saying what it takes', async () => {
    const minute = await api.inject('/api/v1/features/ETH-USDT?interval=1m');
    expect(minute.statusCode).toBe(400);
    expect(minute.json().message).toMatch(/1h, 1d/);
    const empty = await api.inject(`/api/v1/features/ETH-USDT?from=${new Date(T0).toISOString()}&to=${new Date(T0).toISOString()}`);
    expect(empty.statusCode).toBe(400);
  });
});
