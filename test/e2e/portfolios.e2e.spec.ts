/**
 * The portfolio routes over HTTP on each profile: portfolios defined, redefined and retired as
 * events with the caller's actor; their risk from the merged daily candles of their symbols (held
 * at constant weights, rebalanced daily), recorded as RiskAssessed; VaR backtest, stress tests,
 * optimisations recorded as PortfolioOptimised, the frontier, several symbols' risk at once, and
 * 400s and 404s that say what was wrong.
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

const DAYS = 40;
const SYMBOLS = ['BTC-USDT', 'ETH-USDT'] as const;

describe.each(PROFILES)('portfolio API ($name platform)', ({ skip, settings }) => {
  if (skip) return void it.skip('needs the stack');
  let platform: Platform;
  let app: FastifyInstance;
  let cleanup: () => Promise<void>;
  /** Two portfolio managers' keys (the risk role): the actor of what each does is the key's id. */
  let alice: Awaited<ReturnType<typeof issueKey>>;
  let bob: Awaited<ReturnType<typeof issueKey>>;
  let api: KeyedClient;
  const yesterday = bucketStart(Date.now(), '1d') - DAY_MS;
  const dayStart = (i: number) => yesterday - (DAYS - 1 - i) * DAY_MS;
  // Two paths that rise on average and move partly together; day i's only trade is its close.
  const closes: Record<string, number[]> = {
    'BTC-USDT': Array.from({ length: DAYS }, (_, i) => Number((100 * (1 + 0.2 * Math.sin(i * 1.3)) * (1 + i / 40)).toFixed(6))),
    'ETH-USDT': Array.from({ length: DAYS }, (_, i) => Number((50 * (1 + 0.15 * Math.sin(i * 1.3 + 0.7)) * (1 + i / 30)).toFixed(6))),
  };
  const core = { portfolioId: 'core', name: 'Core', holdings: { kind: 'weights', weights: { 'BTC-USDT': 0.6, 'ETH-USDT': 0.4 } } };

  beforeEach(async () => {
    ({ platform, cleanup } = await openTestPlatform(settings()));
    app = await buildServer(platform, { logger: false });
    alice = await issueKey(platform, 'risk', 'alice');
    bob = await issueKey(platform, 'risk', 'bob');
    api = withKey(app, alice.key);
    const items = SYMBOLS.flatMap((symbol) => closes[symbol]!.map((c, i) => trade(`${symbol}-${i}`, c.toFixed(6), dayStart(i) + 12 * 3_600_000, { symbol })));
    const r = await platform.commands.recordObservations({ origin, items });
    await platform.batchProjector.runThrough(r.lastPosition);
  });
  afterEach(async () => {
    await app.close();
    await cleanup();
  });

  const define = () => api.inject({ method: 'POST', url: '/api/v1/portfolios', payload: core });

  it('defines, redefines and retires a portfolio, each change an event with its actor', async () => {
    expect((await define()).statusCode).toBe(201);
    expect((await define()).json()).toMatchObject({ portfolioId: 'core', created: false });
    const put = await withKey(app, bob.key).inject({ method: 'PUT', url: '/api/v1/portfolios/core', payload: { name: 'Core', holdings: { kind: 'positions', positions: { 'BTC-USDT': 1 } } } });
    expect(put.json()).toMatchObject({ changed: true });
    const one = (await api.inject('/api/v1/portfolios/core')).json();
    expect(one).toMatchObject({ portfolioId: 'core', holdings: { kind: 'positions' }, retired: null, version: 2 });
    expect(one.history.map((h: { type: string; actor: string }) => [h.type, h.actor])).toEqual([['PortfolioDefined', alice.keyId], ['PortfolioRedefined', bob.keyId]]);
    expect((await api.inject({ method: 'DELETE', url: '/api/v1/portfolios/core?reason=closed' })).statusCode).toBe(200);
    expect((await api.inject('/api/v1/portfolios')).json().portfolios).toEqual([]);
    expect((await api.inject('/api/v1/portfolios?includeRetired=true')).json().portfolios[0]).toMatchObject({ portfolioId: 'core', retired: { reason: 'closed' } });
    const again = await api.inject({ method: 'PUT', url: '/api/v1/portfolios/core', payload: core });
    expect(again.statusCode).toBe(409);
  });

  it('answers the risk of the daily-rebalanced portfolio and records it as RiskAssessed once', async () => {
    await define();
    const r = await api.inject('/api/v1/portfolios/core/risk?window=30');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    const returns = Array.from({ length: 30 }, (_, k) => DAYS - 30 + k).map((i) =>
      SYMBOLS.reduce((s, sym) => s + core.holdings.weights[sym] * (closes[sym]![i]! / closes[sym]![i - 1]! - 1), 0),
    );
    expect(body).toMatchObject({ portfolioId: 'core', asOf: utcDay(yesterday), weights: core.holdings.weights, definitions: { window: 30, annualisation: 365 }, missingBars: [], batch: { view: 'ohlcv' } });
    expect(body.rebalancing).toMatch(/^daily/);
    expect(body.figures).toEqual(JSON.parse(JSON.stringify(riskFigures(returns, { annualisation: 365, riskFree: 0 }))));
    const first = await api.inject({ method: 'POST', url: '/api/v1/portfolios/core/assessments', payload: { window: 30 } });
    expect(first.statusCode).toBe(201);
    expect((await api.inject({ method: 'POST', url: '/api/v1/portfolios/core/assessments', payload: { window: 30 } })).statusCode).toBe(200);
    const recorded = await platform.ledger.readStream('risk-portfolios/core');
    expect(recorded.map((e) => e.type)).toEqual(['RiskAssessed']);
    expect(recorded[0]!.data).toMatchObject({ portfolioId: 'core', weights: core.holdings.weights, rebalancing: 'daily', observations: 30 });
  });

  it('the daily risk job records every portfolio not retired, once, as the risk system', async () => {
    await define();
    await api.inject({ method: 'POST', url: '/api/v1/portfolios', payload: { ...core, portfolioId: 'old' } });
    await api.inject({ method: 'DELETE', url: '/api/v1/portfolios/old' });
    for (const jobId of ['daily-1', 'daily-2']) {
      await platform.jobs.enqueue(RISK_QUEUE, jobId, { day: utcDay(yesterday) });
      await platform.jobs.drain(RISK_QUEUE);
    }
    const events = await platform.ledger.readStream('risk-portfolios/core');
    expect(events.map((e) => [e.type, e.meta.actor])).toEqual([['RiskAssessed', 'system:risk']]);
    expect(events[0]!.data).toMatchObject({ portfolioId: 'core', asOf: utcDay(yesterday), definitions: { window: 365 }, observations: DAYS - 1 });
    expect(await platform.ledger.readStream('risk-portfolios/old')).toEqual([]);
    expect(await platform.jobs.failed(RISK_QUEUE)).toEqual([]);
  });

  it('backtests the portfolio’s VaR and stress-tests it by history and by a shock', async () => {
    await define();
    const bt = (await api.inject('/api/v1/portfolios/core/var-backtest?window=20&days=15')).json();
    expect(bt.levels.map((l: { level: number; days: unknown[] }) => [l.level, l.days.length])).toEqual([[0.95, 15], [0.99, 15]]);
    const stress = await api.inject({ method: 'POST', url: '/api/v1/portfolios/core/stress', payload: { count: 3, shocks: { 'BTC-USDT': -0.3 } } });
    expect(stress.statusCode).toBe(200);
    const s = stress.json();
    expect(s.worstDays).toHaveLength(3);
    expect(s.worstDays[0].loss).toBeGreaterThanOrEqual(s.worstDays[2].loss);
    expect(s.worstWeeks.length).toBeGreaterThan(0);
    expect(s.shock.assets['BTC-USDT']).toBe(-0.3);
    expect(s.shock.loss).toBeCloseTo(-(0.6 * -0.3 + 0.4 * s.shock.assets['ETH-USDT']), 12);
  });

  it('optimises the portfolio’s symbols, records PortfolioOptimised, and draws the frontier', async () => {
    await define();
    const r = await api.inject({ method: 'POST', url: '/api/v1/portfolios/core/optimise', payload: { objective: 'max_sharpe', window: 30, covariance: 'ledoit-wolf' } });
    expect(r.statusCode).toBe(201);
    const o = r.json();
    expect(o.weights['BTC-USDT'] + o.weights['ETH-USDT']).toBeCloseTo(1, 12);
    expect(o.estimates).toMatchObject({ covarianceEstimator: 'ledoit-wolf', observations: 30 });
    const events = await platform.ledger.readStream('optimisations/core');
    expect(events.map((e) => [e.type, e.meta.actor])).toEqual([['PortfolioOptimised', alice.keyId]]);
    expect(events[0]!.data).toMatchObject({ optimisationId: o.optimisationId, objective: 'max_sharpe', solved: o.solved, weights: o.weights });
    const frontier = (await api.inject('/api/v1/portfolios/frontier?symbols=BTC-USDT,ETH-USDT&window=30&points=5')).json();
    expect(frontier.points).toHaveLength(5);
    const vols = frontier.points.map((p: { volatility: number }) => p.volatility);
    expect([...vols].sort((a, b) => a - b)).toEqual(vols);
  });

  it('optimises a bare set of symbols with no portfolio, and records it as PortfolioOptimised of none', async () => {
    const r = await api.inject({ method: 'POST', url: '/api/v1/portfolios/optimise', payload: { symbols: 'BTC-USDT,ETH-USDT', objective: 'min_volatility', window: 30 } });
    expect(r.statusCode).toBe(201);
    const o = r.json();
    // The same symbols, window and objective through a defined portfolio give the same weights.
    await define();
    const viaPortfolio = (await api.inject({ method: 'POST', url: '/api/v1/portfolios/core/optimise', payload: { objective: 'min_volatility', window: 30 } })).json();
    expect(o.weights).toEqual(viaPortfolio.weights);
    const events = await platform.ledger.readStream('symbol-optimisations');
    expect(events.map((e) => [e.type, e.meta.actor])).toEqual([['PortfolioOptimised', alice.keyId]]);
    expect(events[0]!.data).toMatchObject({ optimisationId: o.optimisationId, portfolioId: null, symbols: ['BTC-USDT', 'ETH-USDT'], weights: o.weights });
    const twice = await api.inject({ method: 'POST', url: '/api/v1/portfolios/optimise', payload: { symbols: 'BTC-USDT,BTC-USDT', objective: 'min_volatility' } });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().message).toMatch(/named twice/);
    expect((await app.inject({ method: 'POST', url: '/api/v1/portfolios/optimise', payload: { symbols: 'BTC-USDT', objective: 'min_volatility' } })).statusCode).toBe(401);
  });

  it('answers several symbols’ risk at once', async () => {
    const r = (await api.inject('/api/v1/risk?symbols=BTC-USDT,ETH-USDT&window=30')).json();
    expect(r.risks.map((x: { symbol: string; figures: { observations: number } }) => [x.symbol, x.figures.observations])).toEqual([['BTC-USDT', 30], ['ETH-USDT', 30]]);
  });

  it('refuses bad input with what was wrong, and a missing portfolio with 404', async () => {
    const bad = await api.inject({ method: 'POST', url: '/api/v1/portfolios', payload: { name: 'X', holdings: { kind: 'weights', weights: { 'BTC-USDT': 0.5 } } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/must sum to 1/);
    expect((await api.inject('/api/v1/portfolios/nope/risk')).statusCode).toBe(404);
    await define();
    const objective = await api.inject({ method: 'POST', url: '/api/v1/portfolios/core/optimise', payload: { objective: 'max_return' } });
    expect(objective.statusCode).toBe(400);
    expect(objective.json().message).toMatch(/objective: expected min_volatility, max_sharpe/);
    const target = await api.inject({ method: 'POST', url: '/api/v1/portfolios/core/optimise', payload: { objective: 'efficient_return', targetReturn: 1e6, window: 30 } });
    expect(target.statusCode).toBe(400);
    expect(target.json().message).toMatch(/above the highest expected return/);
    expect((await api.inject('/api/v1/risk?symbols=')).json().message).toMatch(/comma-separated list/);
  });
});
