/**
 * The three health answers of an embedded platform: /health/live (the process answers), /health/ready
 * (ledger, projections within their lag budget, the adapters' servers) and the /health summary; all
 * three without a key, wherever the server is bound (probes carry none).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../../src/adapters/http/server.js';
import type { Config } from '../../../src/app/config.js';
import { checkReadiness } from '../../../src/app/readiness.js';
import { openTestPlatform, origin, trade } from '../../support/platform.js';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const open = async (over: Partial<Config> = {}) => {
  const t = await openTestPlatform(over);
  closers.push(t.cleanup);
  const app = await buildServer(t.platform, { logger: false });
  closers.push(() => app.close());
  return { platform: t.platform, app };
};

describe('health probes', () => {
  it('live and ready answer 200 without a key, even bound to 0.0.0.0; ready names what it checked', async () => {
    const { app } = await open({ host: '0.0.0.0' });
    const live = await app.inject('/health/live');
    expect(live.statusCode).toBe(200);
    expect(live.json()).toMatchObject({ status: 'ok' });
    const ready = await app.inject('/health/ready');
    expect(ready.statusCode).toBe(200);
    const body = ready.json() as { status: string; checks: Array<{ name: string; ok: boolean }> };
    expect(body.status).toBe('ready');
    expect(body.checks.map((c) => c.name)).toEqual(['roles', 'ledger', 'live store', 'batch store', 'job queue', 'projections', 'follower live', 'follower alert_feed', 'follower alert_engine']);
    expect(body.checks.every((c) => c.ok)).toBe(true);
    expect((await app.inject('/health')).statusCode).toBe(200);
    expect((await app.inject('/metrics')).statusCode).toBe(401);
  });

  it('/health judges only the roles the process runs, and names them: an api-only process is not degraded by a live projection it does not run', async () => {
    // The route reads the platform's roles, whatever its profile (`tickvault start` refuses --roles on the
    // embedded profile, the platform itself does not): an embedded platform stands for an api process here.
    const all = await open({ readyMaxLag: 1 });
    const api = await open({ readyMaxLag: 1, roles: 'api' });
    for (const { platform } of [all, api]) {
      const r = await platform.commands.recordObservations({ origin, items: [trade('1', '100', Date.UTC(2024, 0, 1)), trade('2', '101', Date.UTC(2024, 0, 1)), trade('3', '102', Date.UTC(2024, 0, 1))] });
      if (platform === all.platform) await platform.liveProjection.waitFor(r.lastPosition);
    }
    const apiHealth = await api.app.inject('/health');
    expect(apiHealth.statusCode).toBe(200);
    expect(apiHealth.json()).toMatchObject({ status: 'ok', roles: ['api'], standby: [], projections: {} });
    expect(apiHealth.json().ledger.head).toBeGreaterThan(1);
    const apiReady = await api.app.inject('/health/ready');
    expect(apiReady.statusCode).toBe(200);
    expect(apiReady.json().checks[0]).toEqual({ name: 'roles', ok: true, detail: 'runs api' });
    // The process running every role shows (and is judged by) both projections.
    const allHealth = (await all.app.inject('/health')).json();
    expect(allHealth).toMatchObject({ status: 'ok', roles: ['api', 'ingest', 'live', 'batch', 'alerts', 'relay', 'jobs'], projections: { live: { lag: 0 }, batch: { checkpoint: expect.any(Number) } } });
  });

  it('ready answers 503 while a follower is further behind than the budget, and 200 once it is within it', async () => {
    const { platform, app } = await open({ readyMaxLag: 1 });
    let checkpoint = 0;
    platform.telemetry.follow('slow_reader', { stats: () => ({ checkpoint }) });
    const r = await platform.commands.recordObservations({ origin, items: [trade('1', '100', Date.UTC(2024, 0, 1)), trade('2', '100', Date.UTC(2024, 0, 1))] });
    await platform.liveProjection.waitFor(r.lastPosition);
    const behind = await app.inject('/health/ready');
    expect(behind.statusCode).toBe(503);
    expect(behind.json()).toMatchObject({ status: 'not_ready', checks: expect.arrayContaining([{ name: 'follower slow_reader', ok: false, detail: `${r.lastPosition} events behind the ledger head (budget 1)` }]) as unknown });
    // Liveness does not care: restarting a process because a reader is behind would not help it.
    expect((await app.inject('/health/live')).statusCode).toBe(200);
    checkpoint = r.lastPosition - 1;
    expect((await app.inject('/health/ready')).statusCode).toBe(200);
  });

  it('a follower name is followed once', async () => {
    const { platform } = await open();
    expect(() => platform.telemetry.follow('live', { stats: () => ({ checkpoint: 0 }) })).toThrow(/already followed/);
  });

  it('a server that does not answer, or a ledger that fails, makes the process not ready, saying which', async () => {
    const never = new Promise<never>(() => undefined);
    const report = await checkReadiness({
      ledger: { head: () => Promise.reject(new Error('connection refused')) },
      roles: ['api', 'live'],
      projections: () => 'started',
      followers: () => [{ name: 'live', follower: { stats: () => ({ checkpoint: 0 }) }, gatesReadiness: true }],
      maxLag: 10,
      servers: [{ name: 'live store', probe: () => never }, { name: 'batch store', probe: async () => 0 }],
    });
    expect(report).toEqual({
      ready: false,
      checks: [
        { name: 'roles', ok: true, detail: 'runs api, live' },
        { name: 'ledger', ok: false, detail: 'connection refused' },
        { name: 'live store', ok: false, detail: 'no answer within 2000 ms' },
        { name: 'batch store', ok: true, detail: 'answers' },
        { name: 'projections', ok: true, detail: 'started' },
        { name: 'follower live', ok: false, detail: 'lag unknown: the ledger does not answer' },
      ],
    });
  });
});
