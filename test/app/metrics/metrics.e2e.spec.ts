/**
 * /metrics of an embedded platform: the numbers move as events are ingested and requests are
 * answered, every exported name follows the Prometheus conventions the README promises, and two
 * platforms in one process keep their numbers apart (one registry each).
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../../src/adapters/http/server.js';
import type { Config } from '../../../src/app/config.js';
import type { Platform } from '../../../src/app/platform.js';
import { RECOMPUTE_QUEUE } from '../../../src/domain/names.js';
import { parseExposition, valueOf, type MetricFamily } from '../../support/prometheusText.js';
import { issueKey, openTestPlatform, origin, trade, withKey } from '../../support/platform.js';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const open = async (over: Partial<Config> = {}): Promise<{ platform: Platform; app: FastifyInstance; scrape: () => Promise<Map<string, MetricFamily>> }> => {
  const t = await openTestPlatform(over);
  closers.push(t.cleanup);
  const app = await buildServer(t.platform, { logger: false });
  closers.push(() => app.close());
  // Scraped with a key of its own, so the scrapes spend no budget of the requests a test makes without one.
  const { key } = await issueKey(t.platform, 'admin', 'prometheus');
  const scrape = async () => {
    const res = await withKey(app, key).inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(res.body);
  };
  return { platform: t.platform, app, scrape };
};

/** Base units only: seconds and bytes, never their multiples. */
const NOT_BASE_UNITS = /_(ms|milliseconds|microseconds|nanoseconds|minutes|hours|days|kilobytes|megabytes|kb|mb|percent)(_|$)/;
/** Labels whose values grow with the data or the clients: never a label. */
const HIGH_CARDINALITY_LABELS = new Set(['symbol', 'key', 'key_id', 'keyid', 'keyId', 'actor', 'url', 'path', 'id', 'request_id', 'trade_id', 'user']);
/** Node's default process metrics keep the standard names ready-made Node.js dashboards use. */
const NODE_DEFAULTS = /^(process|nodejs)_/;

/** What is wrong with a family's name, type, help and labels by the conventions; empty when nothing. */
const conventionErrors = (f: MetricFamily): string[] => {
  const errors: string[] = [];
  if (!/^[a-z][a-z0-9_]*$/.test(f.name)) errors.push('not snake_case');
  if (!f.name.startsWith('tickvault_') && !NODE_DEFAULTS.test(f.name)) errors.push('no tickvault_ prefix');
  if (f.name.startsWith('tickvault_tickvault_')) errors.push('prefix twice');
  if (f.type === 'counter' && !f.name.endsWith('_total')) errors.push('a counter not named _total');
  // prom-client's own nodejs_active_*_total are gauges: the standard names, left as they are.
  if (f.type !== 'counter' && f.name.endsWith('_total') && !NODE_DEFAULTS.test(f.name)) errors.push(`a ${f.type} named _total`);
  if (NOT_BASE_UNITS.test(f.name)) errors.push('not in base units');
  if (f.type === 'histogram' && !/_(seconds|bytes)$/.test(f.name)) errors.push('a histogram without its unit');
  if (f.help.trim() === '') errors.push('no help');
  for (const s of f.samples) {
    for (const [label, value] of Object.entries(s.labels)) {
      if (HIGH_CARDINALITY_LABELS.has(label)) errors.push(`label ${label}`);
      if (label === 'route' && value !== 'unmatched' && !value.startsWith('/')) errors.push(`route label ${value}`);
    }
  }
  return errors.map((e) => `${f.name}: ${e}`);
};

describe('/metrics (embedded platform)', () => {
  it('ingest, dead letters, ledger head and follower lag move as events are recorded', async () => {
    const { platform, scrape } = await open();
    const before = await scrape();
    const head0 = valueOf(before, 'tickvault_ledger_head_position');
    expect(head0).toBe((await platform.ledger.head()).position);
    const t0 = Date.UTC(2024, 0, 1);
    const result = await platform.commands.recordObservations({
      origin: { ...origin, source: 'replay:sample.csv' },
      items: [trade('1', '100', t0), trade('2', '101', t0 + 1), trade('2', '101', t0 + 1), { kind: 'trade', data: { price: 'abc' } }, { kind: 'rejected', reason: 'line 7: not JSON', raw: '{' }],
    });
    await platform.liveProjection.waitFor(result.lastPosition);
    const after = await scrape();
    expect(valueOf(after, 'tickvault_ingest_events_total', { source: 'replay', type: 'TradeObserved' })).toBe(2);
    expect(valueOf(after, 'tickvault_ingest_events_total', { source: 'replay', type: 'InputRejected' })).toBe(2);
    expect(valueOf(after, 'tickvault_ingest_observations_total', { source: 'replay', outcome: 'duplicate' })).toBe(1);
    expect(valueOf(after, 'tickvault_dead_letters_total', { source: 'replay', reason: 'invalid_trade' })).toBe(1);
    expect(valueOf(after, 'tickvault_dead_letters_total', { source: 'replay', reason: 'undecodable' })).toBe(1);
    expect(valueOf(after, 'tickvault_ingest_batches_total', { source: 'replay' })).toBe(1);
    expect(valueOf(after, 'tickvault_ledger_head_position')).toBe(head0 + 4);
    expect(valueOf(after, 'tickvault_follower_checkpoint_position', { follower: 'live' })).toBeGreaterThanOrEqual(result.lastPosition);
    expect(valueOf(after, 'tickvault_follower_lag_events', { follower: 'live' })).toBe(head0 + 4 - platform.liveProjection.stats().checkpoint);
    // The batch projector has not run a pass (hourly in tests): all four events behind, at least.
    expect(valueOf(after, 'tickvault_follower_lag_events', { follower: 'batch' })).toBeGreaterThanOrEqual(4);
    for (const follower of ['live', 'batch', 'alert_feed', 'alert_engine']) expect(after.get('tickvault_follower_lag_events')!.samples.some((s) => s.labels['follower'] === follower), follower).toBe(true);
    // The ledger signs a checkpoint per append group: its age is a number of seconds, not negative.
    expect(valueOf(after, 'tickvault_ledger_checkpoint_size_events')).toBe(head0 + 4);
    expect(valueOf(after, 'tickvault_ledger_checkpoint_age_seconds')).toBeGreaterThanOrEqual(0);
    // No batch view before the first pass: no age (NaN, which Prometheus stores as no number).
    expect(valueOf(after, 'tickvault_batch_view_age_seconds')).toBeNaN();
    await platform.batchProjector.runOnce();
    const batched = await scrape();
    expect(valueOf(batched, 'tickvault_batch_passes_total')).toBe(valueOf(after, 'tickvault_batch_passes_total') + 1);
    expect(valueOf(batched, 'tickvault_follower_lag_events', { follower: 'batch' })).toBe(0);
    expect(valueOf(batched, 'tickvault_batch_view_age_seconds')).toBeGreaterThan((Date.now() - t0) / 1000 - 3_600);
  });

  it('API RED metrics by route pattern, method and status class; rate-limit rejections by role', async () => {
    const { app, scrape } = await open({ rateLimit: 1_000, rateLimitByRole: 'viewer=2' });
    // The limiter counts per clock second: start at the head of one, so that the three requests
    // share it even on a busy machine (near a second's end they would straddle two windows).
    await new Promise((r) => setTimeout(r, 1_000 - (Date.now() % 1_000)));
    expect((await app.inject('/api/v1/symbols')).statusCode).toBe(200);
    expect((await app.inject('/api/v1/ohlcv/BTC-USDT?from=x')).statusCode).toBe(400);
    // A third request from the same address within the second: refused.
    expect((await app.inject('/api/v1/ohlcv/ETH-USDT')).statusCode).toBe(429);
    const m = await scrape();
    const route = '/api/v1/ohlcv/:symbol';
    expect(valueOf(m, 'tickvault_http_requests_total', { route: '/api/v1/symbols', method: 'GET', status_class: '2xx' })).toBe(1);
    expect(valueOf(m, 'tickvault_http_requests_total', { route, method: 'GET', status_class: '4xx' })).toBe(2);
    expect(valueOf(m, 'tickvault_http_requests_total', { route, method: 'GET', status_class: '2xx' })).toBe(0);
    expect(valueOf(m, 'tickvault_http_request_duration_seconds_count', { route, method: 'GET' })).toBe(2);
    expect(valueOf(m, 'tickvault_http_request_duration_seconds_bucket', { route, method: 'GET', le: '+Inf' })).toBe(2);
    expect(valueOf(m, 'tickvault_http_rate_limited_total', { role: 'anonymous' })).toBe(1);
    expect(m.get('tickvault_http_request_errors_total')!.samples).toEqual([]);
    expect(m.get('tickvault_http_requests_total')!.samples.every((s) => !JSON.stringify(s.labels).includes('USDT'))).toBe(true);
  });

  it('job queue depth and failures: every queue the platform uses', async () => {
    const { platform, scrape } = await open();
    await platform.commands.requestRecompute({ symbol: 'BTC-USDT', fromDay: '2024-01-01', toDay: '2024-01-01', reason: 'metrics test' }, origin);
    await platform.jobs.drain(RECOMPUTE_QUEUE);
    const m = await scrape();
    expect(valueOf(m, 'tickvault_job_queue_jobs', { queue: RECOMPUTE_QUEUE, state: 'completed' })).toBe(1);
    expect(valueOf(m, 'tickvault_job_queue_jobs', { queue: RECOMPUTE_QUEUE, state: 'waiting' })).toBe(0);
    expect(m.get('tickvault_job_failures_total')!.samples.map((s) => s.labels['queue']).sort()).toEqual(expect.arrayContaining([RECOMPUTE_QUEUE, 'webhooks']));
    platform.jobs.process('failing-for-test', async () => {
      throw new Error('fails on purpose');
    });
    await platform.jobs.enqueue('failing-for-test', 'j1', {}, { attempts: 2, backoffMs: 1 });
    await platform.jobs.drain('failing-for-test');
    const failed = await scrape();
    expect(valueOf(failed, 'tickvault_job_failures_total', { queue: 'failing-for-test' })).toBe(2);
    expect(valueOf(failed, 'tickvault_job_queue_jobs', { queue: 'failing-for-test', state: 'failed' })).toBe(1);
  });

  it('every exported name follows the conventions; Node defaults included', async () => {
    const { platform, app, scrape } = await open();
    const { key } = await issueKey(platform, 'viewer');
    await withKey(app, key).inject('/api/v1/symbols');
    await app.inject('/nothing-here');
    await platform.commands.recordObservations({ origin, items: [trade('1', '100', Date.UTC(2024, 0, 1))] });
    const m = await scrape();
    expect([...m.values()].flatMap(conventionErrors)).toEqual([]);
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) expect(m.has(name), name).toBe(true);
    expect(valueOf(m, 'tickvault_http_requests_total', { route: 'unmatched', status_class: '4xx' })).toBe(1);
    // The rules do reject what they must: a name in milliseconds, a counter without _total, a symbol label.
    expect(conventionErrors({ name: 'tickvault_x_duration_ms', type: 'gauge', help: 'h', samples: [] })).toEqual(['tickvault_x_duration_ms: not in base units']);
    expect(conventionErrors({ name: 'tickvault_x', type: 'counter', help: 'h', samples: [{ name: 'tickvault_x', labels: { symbol: 'BTC-USDT' }, value: 1 }] })).toEqual(['tickvault_x: a counter not named _total', 'tickvault_x: label symbol']);
  });

  it('two platforms in one process keep their numbers apart', async () => {
    const a = await open();
    const b = await open();
    await a.platform.commands.recordObservations({ origin, items: [trade('1', '100', Date.UTC(2024, 0, 1))] });
    expect(valueOf(await a.scrape(), 'tickvault_ingest_events_total', { source: 'test', type: 'TradeObserved' })).toBe(1);
    expect(valueOf(await b.scrape(), 'tickvault_ingest_events_total', { source: 'test', type: 'TradeObserved' })).toBe(0);
  });
});
