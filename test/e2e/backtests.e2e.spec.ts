/**
 * Backtests over HTTP on each profile (the embedded job queue; BullMQ on the cluster): POST
 * answers 202 with an id, the job runs the engine on the merged candles, GET shows it completed
 * with the result the engine gives on those same candles, recorded as BacktestCompleted naming
 * the ledger checkpoint and the code version; bad requests are 400s that say what is wrong.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/adapters/http/server.js';
import type { Config } from '../../src/app/config.js';
import type { Platform } from '../../src/app/platform.js';
import { runBacktest } from '../../src/domain/backtest/backtest.js';
import { expandGrid } from '../../src/domain/backtest/strategies.js';
import { backtestStream, predictionStream } from '../../src/domain/streams.js';
import { clusterStack } from '../support/clusterProfile.js';
import { issueKey, openTestPlatform, origin, trade, withKey, type KeyedClient } from '../support/platform.js';

const PROFILES: Array<{ name: string; skip: boolean; settings: () => Partial<Config> }> = [
  { name: 'embedded', skip: false, settings: () => ({}) },
  { name: 'cluster', skip: clusterStack.skip, settings: () => clusterStack.config() },
];

const HOURS = 240;
const T0 = Date.UTC(2024, 2, 1);
const HOUR = 3_600_000;

describe.each(PROFILES)('backtest API ($name platform)', ({ skip, settings }) => {
  if (skip) return void it.skip('needs the stack');
  let platform: Platform;
  let app: FastifyInstance;
  /** A trader's key (backtests need the trader role); its id is the actor of what it requests. */
  let analyst: KeyedClient;
  let analystId: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ platform, cleanup } = await openTestPlatform(settings()));
    app = await buildServer(platform, { logger: false });
    const key = await issueKey(platform, 'trader', 'analyst-1');
    analyst = withKey(app, key.key);
    analystId = key.keyId;
    // Two trades an hour (its open and its close) along a wave with a drift: crossings both ways.
    const price = (h: number, k: number) => (100 * (1 + 0.2 * Math.sin(h / 9 + k)) * (1 + h / 400)).toFixed(4);
    const items = Array.from({ length: HOURS }, (_, h) => [trade(`o${h}`, price(h, 0), T0 + h * HOUR + 1_000), trade(`c${h}`, price(h, 0.3), T0 + h * HOUR + 3_500_000)]).flat();
    const r = await platform.commands.recordObservations({ origin, items });
    await platform.batchProjector.runThrough(r.lastPosition);
  });
  afterEach(async () => {
    await app.close();
    await cleanup();
  });

  const until = async (id: string): Promise<Record<string, unknown>> => {
    for (;;) {
      const r = await analyst.inject(`/api/v1/backtests/${id}`);
      expect(r.statusCode).toBe(200);
      const body = r.json();
      if (body.status === 'completed' || body.status === 'failed') return body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('runs a grid through the job queue and records the result the engine gives on the merged candles', async () => {
    const strategy = { kind: 'sma-crossover', fast: [3, 6], slow: [12, 24] };
    const request = { symbol: 'BTC-USDT', interval: '1h', from: T0, to: T0 + HOURS * HOUR, strategy, mode: 'long-short' };
    const posted = await analyst.inject({ method: 'POST', url: '/api/v1/backtests', payload: request, headers: { 'x-actor': 'anyone@bank' } });
    expect(posted.statusCode).toBe(202);
    const { backtestId } = posted.json();
    const done = await until(backtestId);
    expect(done).toMatchObject({ status: 'completed', progress: 1, actor: analystId, error: null });

    const candles = (await analyst.inject(`/api/v1/ohlcv/BTC-USDT?interval=1h&from=${T0}&to=${T0 + HOURS * HOUR}`)).json().candles as Array<{ time: number; open: number; close: number }>;
    expect(candles).toHaveLength(HOURS);
    const bars = { time: Float64Array.from(candles, (c) => c.time), open: Float64Array.from(candles, (c) => c.open), close: Float64Array.from(candles, (c) => c.close) };
    const want = runBacktest({ strategies: expandGrid(strategy), mode: 'long-short' }, { bars });
    const result = done['result'] as Record<string, unknown> & { metrics: Record<string, number>; trades: unknown[]; ledgerCheckpoint: { size: number }; codeVersion: string };
    expect(result.chosen).toEqual(want.chosen);
    expect(result.metrics['finalEquity']).toBe(want.metrics.finalEquity);
    expect(result.trades).toHaveLength(want.trades.length);
    expect(want.trades.length).toBeGreaterThan(2);
    expect(result.ledgerCheckpoint.size).toBeGreaterThanOrEqual(HOURS * 2);
    expect(result.codeVersion).toMatch(/^tickvault@\d+\.\d+\.\d+ engine-(src|build):[0-9a-f]{16}/);

    const events = await platform.ledger.readStream(backtestStream(backtestId));
    expect(events.map((e) => e.type)).toEqual(['BacktestRequested', 'BacktestCompleted']);
    expect(events[1]!.meta).toMatchObject({ actor: analystId, causationId: events[0]!.id });
  });

  it('reports a range without bars, or a symbol without candles, as a failed backtest that says why', async () => {
    const strategy = { kind: 'rsi-thresholds', window: 3, lower: 30, upper: 70 };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ symbol: 'BTC-USDT', interval: '1h', from: T0 - 20 * HOUR, to: T0 - 10 * HOUR, strategy }, /BTC-USDT has 0 1h bars in the range; a backtest needs at least two/],
      [{ symbol: 'ETH-USDT', interval: '1h', from: T0, to: T0 + 10 * HOUR, strategy }, /unknown symbol ETH-USDT/],
    ];
    for (const [request, reason] of cases) {
      const posted = await analyst.inject({ method: 'POST', url: '/api/v1/backtests', payload: request });
      expect(posted.statusCode).toBe(202);
      const done = await until(posted.json().backtestId);
      expect(done['status']).toBe('failed');
      expect(String(done['error'])).toMatch(reason);
    }
  });

  it('follows a model\'s recorded predictions exactly as the same predictions given inline; a model without any is a failed backtest that says so', async () => {
    // PredictionMade events of a 1h return model for every fifth bar: up, down, up... with a little size.
    const made = Array.from({ length: HOURS / 5 }, (_, k) => ({ time: T0 + 5 * k * HOUR, value: (k % 2 === 0 ? 1 : -1) * 0.001 * (1 + (k % 3)) }));
    const hash = 'ab'.repeat(32);
    await platform.ledger.append(
      made.map((p, k) => ({
        id: `prediction-${k}`,
        type: 'PredictionMade',
        schemaVersion: 2,
        stream: predictionStream('BTC-USDT'),
        data: {
          predictionId: `p${k}`, modelId: 'BTC-USDT.return.1h', version: 1, modelHash: hash, symbol: 'BTC-USDT', interval: '1h', horizonBars: 1,
          madeAt: p.time + HOUR, barTime: p.time, baseClose: 100, targetTime: p.time + 2 * HOUR, featuresHash: hash,
          output: { kind: 'return-regression', point: p.value, intervals: [] }, naive: { point: 0 },
        },
        meta: { ...origin, causationId: null },
        dedupKey: `prediction/p${k}`,
      })),
    );
    const base = { symbol: 'BTC-USDT', interval: '1h', from: T0, to: T0 + HOURS * HOUR, strategy: { kind: 'follow-predictions', threshold: 0.0005 }, mode: 'long-short' };
    const run = async (extra: Record<string, unknown>) => {
      const posted = await analyst.inject({ method: 'POST', url: '/api/v1/backtests', payload: { ...base, ...extra } });
      expect(posted.statusCode, posted.body).toBe(202);
      return until(posted.json().backtestId);
    };
    const fromLedger = await run({ model: 'BTC-USDT.return.1h' });
    const inline = await run({ predictions: made });
    expect(fromLedger['status'], String(fromLedger['error'])).toBe('completed');
    const metrics = (b: Record<string, unknown>) => (b['result'] as { metrics: Record<string, number>; trades: unknown[] });
    expect(metrics(fromLedger).metrics).toEqual(metrics(inline).metrics);
    expect(metrics(fromLedger).trades.length).toBeGreaterThan(2);
    const none = await run({ model: 'BTC-USDT.return.24h' });
    expect(none['status']).toBe('failed');
    expect(String(none['error'])).toMatch(/model BTC-USDT\.return\.24h has made no prediction of BTC-USDT/);
    const wrongInterval = await run({ model: 'BTC-USDT.return.1h@1', interval: '5m', to: T0 + 24 * HOUR });
    expect(String(wrongInterval['error'])).toMatch(/predicts on 1h bars; ask the backtest for interval 1h/);
  });

  it('refuses bad requests with a reason, and answers 404 for an unknown id', async () => {
    const base = { symbol: 'BTC-USDT', interval: '1h', from: T0, to: T0 + HOURS * HOUR };
    const cases: Array<[unknown, RegExp]> = [
      [{ ...base, strategy: { kind: 'sma-crossover', fast: 30, slow: 10 } }, /no combination of the grid is in order/],
      [{ ...base, strategy: { kind: 'follow-predictions', threshold: 0 } }, /give predictions/],
      [{ ...base, interval: '2h', strategy: { kind: 'bollinger-breakout', window: 20, k: 2 } }, /interval/],
      [{ ...base, mode: 'short-only', strategy: { kind: 'bollinger-breakout', window: 20, k: 2 } }, /mode/],
    ];
    for (const [payload, reason] of cases) {
      const r = await analyst.inject({ method: 'POST', url: '/api/v1/backtests', payload: payload as object });
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.body).toMatch(reason);
    }
    expect((await analyst.inject('/api/v1/backtests/nope')).statusCode).toBe(404);
  });
});
