/**
 * The risk routes over HTTP on each profile: figures from the 1d candles the read side merges,
 * the definitions and batch version beside them, RiskAssessed recorded once per what it was
 * computed from, the VaR backtest, and 400s that name the valid ranges.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/adapters/http/server.js';
import type { Platform } from '../../src/app/platform.js';
import type { Config } from '../../src/app/config.js';
import { RISK_QUEUE } from '../../src/app/riskAssessments.js';
import { riskFigures } from '../../src/domain/risk/riskFigures.js';
import { DAY_MS, bucketStart, utcDay } from '../../src/domain/time.js';
import { clusterStack } from '../support/clusterProfile.js';
import { issueKey, openTestPlatform, origin, trade, withKey, type KeyedClient } from '../support/platform.js';

const PROFILES: Array<{ name: string; skip: boolean; settings: () => Partial<Config> }> = [
  { name: 'embedded', skip: false, settings: () => ({}) },
  { name: 'cluster', skip: clusterStack.skip, settings: () => clusterStack.config() },
];

const DAYS = 45;
/** The day left without a trade: its close is missing, and so are the returns on either side. */
const MISSING = 20;

describe.each(PROFILES)('risk API ($name platform)', ({ skip, settings }) => {
  if (skip) return void it.skip('needs the stack');
  let platform: Platform;
  let app: FastifyInstance;
  /** The server as a risk officer's key reaches it: the cluster profile answers nothing without a key, and assessments need that role. */
  let api: KeyedClient;
  let officer: Awaited<ReturnType<typeof issueKey>>;
  let cleanup: () => Promise<void>;
  const today = bucketStart(Date.now(), '1d');
  const yesterday = today - DAY_MS;
  const dayStart = (i: number) => yesterday - (DAYS - 1 - i) * DAY_MS;
  // A path with rises, falls and a repeat: day i's only trade is its close.
  const closes = Array.from({ length: DAYS }, (_, i) => 100 * (1 + 0.3 * Math.sin(i * 1.7)) * (1 + i / 50));

  beforeEach(async () => {
    ({ platform, cleanup } = await openTestPlatform(settings()));
    app = await buildServer(platform, { logger: false });
    officer = await issueKey(platform, 'risk', 'risk officer');
    api = withKey(app, officer.key);
    const items = closes.flatMap((c, i) => (i === MISSING ? [] : [trade(`t${i}`, c.toFixed(6), dayStart(i) + 12 * 3_600_000)]));
    const r = await platform.commands.recordObservations({ origin, items });
    await platform.batchProjector.runThrough(r.lastPosition);
  });
  afterEach(async () => {
    await app.close();
    await cleanup();
  });

  /** The returns of consecutive days among the last `window`, as the definitions say. */
  const expectedReturns = (window: number) => {
    const out: number[] = [];
    for (let i = DAYS - window; i < DAYS; i++) {
      if (i === MISSING || i - 1 === MISSING) continue;
      out.push(Number(closes[i]!.toFixed(6)) / Number(closes[i - 1]!.toFixed(6)) - 1);
    }
    return out;
  };

  it('answers the figures of the window ending at the last complete day, with their definitions and batch version', async () => {
    const r = await api.inject('/api/v1/risk/btc-usdt?window=30');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    const returns = expectedReturns(30);
    expect(body).toMatchObject({
      symbol: 'BTC-USDT',
      asOf: utcDay(yesterday),
      definitions: { interval: '1d', window: 30, annualisation: 365, riskFree: 0 },
      missingBars: [utcDay(dayStart(MISSING))],
      batch: { view: 'ohlcv' },
      degraded: false,
    });
    expect(body.batch.version).toBeGreaterThan(0);
    expect(body.figures).toEqual(JSON.parse(JSON.stringify(riskFigures(returns, { annualisation: 365, riskFree: 0 }))));
    expect(body.figures.observations).toBe(28);
  });

  it('answers the intraday variant from 1h candles, annualised by 8,760', async () => {
    // Hourly trades through the morning of the as-of day; its noon trade (its daily close) stays the last.
    const hourly = Array.from({ length: 12 }, (_, h) => 90 + ((h * 7) % 5) + h / 3);
    const r = await platform.commands.recordObservations({ origin, items: hourly.map((p, h) => trade(`h${h}`, p.toFixed(6), yesterday + h * 3_600_000 + 60_000)) });
    await platform.batchProjector.runThrough(r.lastPosition);
    const body = (await api.inject('/api/v1/risk/BTC-USDT?interval=1h&window=24')).json();
    const prices = [...hourly.map((p) => Number(p.toFixed(6))), Number(closes[DAYS - 1]!.toFixed(6))];
    const returns = prices.slice(1).map((p, i) => p / prices[i]! - 1);
    expect(body.definitions).toMatchObject({ interval: '1h', window: 24, annualisation: 8_760 });
    expect(body.figures).toEqual(JSON.parse(JSON.stringify(riskFigures(returns, { annualisation: 8_760, riskFree: 0 }))));
    // The window's 25 hours: the previous day's last one and the as-of day's 13 to 23 have no trade.
    expect(body.missingBars).toHaveLength(12);
    expect(body.missingBars[0]).toBe(new Date(yesterday - 3_600_000).toISOString());
  });

  it('records RiskAssessed on demand once per symbol, day, definitions and batch version', async () => {
    const first = await api.inject({ method: 'POST', url: '/api/v1/risk/BTC-USDT/assessments', payload: { window: 30 }, headers: { 'x-actor': 'anyone@bank' } });
    expect(first.statusCode).toBe(201);
    const again = await api.inject({ method: 'POST', url: '/api/v1/risk/BTC-USDT/assessments', payload: { window: 30 } });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ recorded: false, position: first.json().position });
    const events = (await platform.ledger.readStream('risk/BTC-USDT')).filter((e) => e.type === 'RiskAssessed');
    expect(events).toHaveLength(1);
    expect(events[0]!.meta.actor).toBe(officer.keyId);
    expect(events[0]!.data).toMatchObject({
      symbol: 'BTC-USDT',
      asOf: utcDay(yesterday),
      definitions: { interval: '1d', window: 30, annualisation: 365, returns: 'simple', historicalVar: 'linear-quantile', parametricVar: 'normal' },
      observations: 28,
      missingBars: 1,
      batch: { view: 'ohlcv', version: first.json().assessment.batch.version },
      figures: { sharpe: first.json().assessment.figures.sharpe, var99: first.json().assessment.figures.var['0.99'] },
    });
  });

  it('the daily job records every symbol with returns, once, as the risk system', async () => {
    const runDaily = async (jobId: string) => {
      await platform.jobs.enqueue(RISK_QUEUE, jobId, { day: utcDay(yesterday) });
      await platform.jobs.drain(RISK_QUEUE);
    };
    await runDaily('daily-test-1');
    await runDaily('daily-test-2'); // a second run of the same day (another process, a retry) adds nothing
    const events = (await platform.ledger.readStream('risk/BTC-USDT')).filter((e) => e.type === 'RiskAssessed');
    expect(events).toHaveLength(1);
    expect(events[0]!.meta).toMatchObject({ actor: 'system:risk', source: 'risk-daily' });
    expect(events[0]!.data).toMatchObject({ asOf: utcDay(yesterday), definitions: { window: 365 }, observations: DAYS - 3, missingBars: 365 - (DAYS - 1) + 1 });
    expect(await platform.jobs.failed(RISK_QUEUE)).toEqual([]);
    await platform.jobs.enqueue(RISK_QUEUE, 'daily-test-bad', { day: 'yesterday' }, { attempts: 1 });
    await platform.jobs.drain(RISK_QUEUE);
    expect((await platform.jobs.failed(RISK_QUEUE)).map((f) => f.error)).toEqual([expect.stringMatching(/payload .*"yesterday".* has no day yyyy-mm-dd/)]);
  });

  it('backtests each day’s VaR against the next day’s return at 95% and 99%', async () => {
    const r = await api.inject(`/api/v1/risk/BTC-USDT/var-backtest?window=10&days=15&asOf=${utcDay(yesterday)}`);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.levels.map((l: { level: number }) => l.level)).toEqual([0.95, 0.99]);
    for (const level of body.levels) {
      expect(level.method).toBe('historical');
      // 25 days of returns, two of them missing: 23 returns, the first VaR once 10 of them are in.
      expect(level.days).toHaveLength(13);
      expect(level.exceptions).toBe(level.days.filter((d: { exception: boolean }) => d.exception).length);
      expect(level.kupiec.degreesOfFreedom).toBe(1);
      expect(level.conditionalCoverage.degreesOfFreedom).toBe(2);
    }
    expect(body.levels[1].basel).toMatchObject({ days: 13 });
    expect(body.levels[0].basel).toBeNull();
  });

  it('answers 400 naming the valid range, and 404 for an unknown symbol', async () => {
    const cases: Array<[string, RegExp]> = [
      ['/api/v1/risk/BTC-USDT?window=1', /window \(1d returns\): expected an integer from 2 to 3650, got "1"/],
      ['/api/v1/risk/BTC-USDT?window=abc', /window \(1d returns\): expected an integer/],
      [`/api/v1/risk/BTC-USDT?asOf=${utcDay(today)}`, new RegExp(`asOf: expected a complete UTC day yyyy-mm-dd from 2009-01-01 to ${utcDay(yesterday)}`)],
      ['/api/v1/risk/BTC-USDT?asOf=2024-13-01', /asOf: expected a complete UTC day/],
      ['/api/v1/risk/BTC-USDT?asOf=2024-02-30', /asOf: expected a complete UTC day/],
      ['/api/v1/risk/BTC-USDT?riskFree=5', /riskFree: expected an annual rate from -1 to 1/],
      ['/api/v1/risk/BTC-USDT/var-backtest?days=0', /days: expected an integer from 1 to 3650/],
      ['/api/v1/risk/BTC-USDT/var-backtest?method=garch', /method: expected historical or parametric/],
      ['/api/v1/risk/BTC-USDT?interval=1m', /interval: expected 1d .* or 1h/],
      ['/api/v1/risk/BTC-USDT?interval=1h&window=9000', /window \(1h returns\): expected an integer from 2 to 8760/],
      ['/api/v1/risk/BTCUSDT', /BASE-QUOTE/],
    ];
    for (const [url, message] of cases) {
      const r = await api.inject(url);
      expect(r.statusCode, url).toBe(400);
      expect(r.json().message, url).toMatch(message);
    }
    expect((await api.inject('/api/v1/risk/ETH-USDT')).statusCode).toBe(404);
    expect((await api.inject('/api/v1/risk/ETH-USDT/var-backtest')).statusCode).toBe(404);
  });
});
