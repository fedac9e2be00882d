/**
 * GET /api/v1/ohlcv over HTTP while the batch store is unreachable, on the cluster profile, without
 * stopping the shared HBase: the platform reaches HBase's REST gateway through a loopback TCP
 * relay that this test cuts once the platform is open, so every later HBase call is refused
 * as if the gateway were down. A range only the batch layer could answer gets 503 with
 * Retry-After; a range the speed layer covers still answers 200, degraded.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/adapters/http/server.js';
import type { Platform } from '../../src/app/platform.js';
import { clusterStack, dropClusterState } from '../support/clusterProfile.js';
import { issueKey, openTestPlatform, origin, trade, withKey, type KeyedClient } from '../support/platform.js';
import { openTcpRelay, type TcpRelay } from '../support/tcpRelay.js';

const MIN = 60_000;

describe.skipIf(clusterStack.skip)('GET /api/v1/ohlcv with the batch store unreachable (cluster profile)', () => {
  let platform: Platform;
  let app: FastifyInstance;
  /** A viewer's key: the cluster profile answers nothing without one. */
  let viewer: KeyedClient;
  let dataDir: string;
  let relay: TcpRelay;
  // Read in beforeAll: a skipped describe's body still runs, and without the stack config() throws.
  let hbaseSettings: ReturnType<typeof clusterStack.config>;
  const now = Date.now();
  const t0 = now - (now % MIN) - 10 * MIN;

  beforeAll(async () => {
    hbaseSettings = clusterStack.config();
    relay = await openTcpRelay(new URL(hbaseSettings.hbaseUrl!));
    ({ platform, dataDir } = await openTestPlatform({ ...hbaseSettings, hbaseUrl: relay.url }));
    app = await buildServer(platform, { logger: false });
    viewer = withKey(app, (await issueKey(platform, 'viewer')).key);
    const r = await platform.commands.recordObservations({ origin, items: [trade('1', '100', t0 + 1_000), trade('2', '101', t0 + MIN + 1_000)] });
    await platform.liveProjection.waitFor(r.lastPosition);
    // The HBase tables exist (the platform created them through the relay); from here on the gateway is unreachable.
    await relay.cut();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await platform?.close();
    // Cleaned up through the real gateway: the relay the platform used is closed.
    await dropClusterState(hbaseSettings);
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After when the range needs the batch layer', async () => {
    const r = await viewer.inject(`/api/v1/ohlcv/BTC-USDT?interval=1m&from=${t0 - 120 * MIN}&to=${t0 - 60 * MIN}`);
    expect(r.statusCode).toBe(503);
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    expect(r.json()).toMatchObject({ error: 'unavailable', message: expect.stringMatching(/batch store unavailable.*needs the batch layer/) });
  });

  it('answers 503 for a symbol only the batch layer could know', async () => {
    const r = await viewer.inject(`/api/v1/ohlcv/ETH-USDT?interval=1m&from=${t0}&to=${t0 + 2 * MIN}`);
    expect(r.statusCode).toBe(503);
    expect(r.headers['retry-after']).toBeDefined();
  });

  it('still answers 200, degraded, where the speed layer covers the range', async () => {
    const r = await viewer.inject(`/api/v1/ohlcv/BTC-USDT?interval=1m&from=${t0}&to=${t0 + 2 * MIN}`);
    expect(r.statusCode).toBe(200);
    const body = r.json() as { degraded: boolean; candles: Array<{ close: number }> };
    expect(body.degraded).toBe(true);
    expect(body.candles.map((c) => c.close)).toEqual([100, 101]);
  });
});
