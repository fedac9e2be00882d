/**
 * Live anomaly alerts end to end on the embedded platform: an anomaly model trained through the
 * job queue on real klines (BTCUSDT, 1-3 February 2023) and promoted champion; an
 * `anomaly-model` rule; then the simulator's injected flash crash on BTC-USDT, ingested as live
 * trades. The alert reaches /api/v1/alerts and /ws/alerts naming the model id, version and hash,
 * and a restart on the same ledger raises nothing twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildServer } from '../../src/adapters/http/server.js';
import { createReplaySource } from '../../src/adapters/sources/replay/replaySource.js';
import { createSimulatorSource } from '../../src/adapters/sources/simulator/simulatorSource.js';
import { MODEL_TRAINING_QUEUE } from '../../src/app/models.js';
import type { Platform } from '../../src/app/platform.js';
import { eventually } from '../contracts/polling.js';
import { issueKey, openTestPlatform, withKey } from '../support/platform.js';
import { requireSharedData } from '../support/sharedData.js';

const DAYS = ['01', '02', '03'].map((d) => `binance-futures-klines-1m-2023-02/BTCUSDT-1m-2023-02-${d}.csv`);
const data = requireSharedData(...DAYS);
const START = Date.UTC(2023, 1, 4);
const CRASH_AT = START + 40 * 60_000;
/** The platform's clock: past the simulated hour (trades from the future are refused as such). */
const NOW = START + 3 * 3_600_000;
const RULE = { ruleId: 'live-anomaly', detector: 'anomaly-model', symbols: ['BTC-USDT'], severity: 'critical' };

interface Alert {
  alertId: string;
  ruleId: string;
  eventTime: number;
  evidence: { modelId: string; version: number; modelHash: string; score: number; threshold: number; bar: { from: number; to: number } };
}

const settle = async (p: Platform): Promise<void> => {
  for (let i = 0; i < 3; i++) {
    await p.alertEngine.waitFor((await p.ledger.head()).position);
    await p.alertFeed.waitFor((await p.ledger.head()).position);
  }
};

describe.skipIf(data.skip)('live anomaly alerts from the champion anomaly model (embedded platform)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-anomaly-alerts-'));
  let platform: Platform;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let modelHash: string;
  const fromSocket: Array<{ type: string; alert?: Alert }> = [];
  let crash: { startTime: number; endTime: number };

  /** The platform on the test's data folder (its ledger and snapshots survive a close), with its server. */
  const openOnDir = async (): Promise<void> => {
    const opened = await openTestPlatform({}, dir, undefined, { now: () => NOW });
    platform = opened.platform;
    app = await buildServer(platform, { logger: false });
    close = async () => {
      await app.close();
      await opened.cleanup();
    };
  };

  beforeAll(async () => {
    data.assertAvailable();
    await openOnDir();
    await platform.ingest(createReplaySource({ files: DAYS.map((f) => data.path(f)), speed: 0 }), new AbortController().signal);
    await platform.batchProjector.runOnce();
  }, 240_000);
  afterAll(async () => {
    await close?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the champion scores the simulator\'s injected crash and the alert, naming the model version, reaches REST and /ws/alerts', async () => {
    const trader = withKey(app, (await issueKey(platform, 'trader')).key);
    const risk = withKey(app, (await issueKey(platform, 'risk')).key);
    const trained = await trader.inject({ method: 'POST', url: '/api/v1/models/trainings', payload: { symbol: 'BTC-USDT', horizon: '1h', kind: 'anomaly', from: '2023-02-01T00:00:00Z', to: '2023-02-04T00:00:00Z' } });
    expect(trained.statusCode, trained.body).toBe(202);
    await platform.jobs.drain(MODEL_TRAINING_QUEUE);
    const model = (await trader.inject('/api/v1/models/BTC-USDT.anomaly.1h')).json<{ versions: Array<{ version: number; modelHash: string }> }>();
    expect(model.versions).toHaveLength(1);
    modelHash = model.versions[0]!.modelHash;
    const promoted = await risk.inject({ method: 'POST', url: '/api/v1/models/aliases', payload: { modelId: 'BTC-USDT.anomaly.1h', alias: 'champion', version: 1, reason: 'live monitoring' } });
    expect(promoted.statusCode, promoted.body).toBe(200);
    const rule = await trader.inject({ method: 'POST', url: '/api/v1/alert-rules', payload: RULE });
    expect(rule.statusCode, rule.body).toBe(201);

    await app.listen({ port: 0, host: '127.0.0.1' });
    const ws = new WebSocket(`ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/ws/alerts?from=0`);
    ws.on('message', (raw) => fromSocket.push(JSON.parse(String(raw)) as { type: string; alert?: Alert }));
    await eventually(() => fromSocket.some((m) => m.type === 'caught-up'), { timeoutMs: 10_000, intervalMs: 20 });

    // 50 minutes of live trades on BTC-USDT alone, one crash planned at minute 40 and no random events.
    const source = createSimulatorSource({ seed: 11, symbols: 1, tradesPerSecond: 4, startTime: START, maxTrades: 4 * 50 * 60, flashCrashesPerHour: 0, volumeBurstsPerHour: 0, events: [{ kind: 'flash-crash', symbol: 'BTC-USDT', at: CRASH_AT, depth: 0.05 }] });
    await platform.ingest(source, new AbortController().signal);
    await settle(platform);
    const injected = source.injectedEvents();
    expect(injected.map((e) => e.kind)).toEqual(['flash-crash']);
    crash = injected[0]!;

    const alerts = (await trader.inject('/api/v1/alerts?rule=live-anomaly&limit=500')).json<{ alerts: Alert[] }>().alerts;
    // The crash is found: an alert on a bar within the crash (the model's own bars, a minute long).
    const onCrash = alerts.filter((a) => a.evidence.bar.to > crash.startTime && a.evidence.bar.from <= crash.endTime);
    expect(onCrash.length, JSON.stringify(alerts.map((a) => a.evidence.bar))).toBeGreaterThan(0);
    for (const a of alerts) {
      expect(a.evidence).toMatchObject({ modelId: 'BTC-USDT.anomaly.1h', version: 1, modelHash });
      expect(a.evidence.score).toBeGreaterThan(a.evidence.threshold);
    }
    // ... and the same alerts arrive on the socket, in the ledger's order.
    await eventually(() => fromSocket.filter((m) => m.type === 'alert-raised').length >= alerts.length, { timeoutMs: 10_000, intervalMs: 20 });
    ws.close();
    const raisedOnSocket = fromSocket.filter((m) => m.type === 'alert-raised' && m.alert!.ruleId === 'live-anomaly').map((m) => m.alert!);
    expect(raisedOnSocket.map((a) => a.alertId).sort()).toEqual(alerts.map((a) => a.alertId).sort());
    expect(raisedOnSocket.find((a) => a.alertId === onCrash[0]!.alertId)!.evidence).toMatchObject({ modelId: 'BTC-USDT.anomaly.1h', version: 1, modelHash });
  }, 300_000);

  it('a restart on the same ledger resumes from the snapshot and raises nothing twice', async () => {
    const head = (await platform.ledger.head()).position;
    const before = platform.alerts.messagesAfter(0).map((m) => (m.type === 'alert-raised' ? m.alert.alertId : `${m.resolution.alertId}/resolved`));
    expect(before.length).toBeGreaterThan(0);
    await close();
    await openOnDir();
    await platform.alertEngine.caughtUp;
    await settle(platform);
    // Nothing the alert engine concludes is appended again (the start may record other things: a schedule, say).
    const since = await platform.ledger.read(head, 1_000);
    expect(since.filter((e) => e.type === 'AlertRaised' || e.type === 'AlertResolved'), JSON.stringify(since.map((e) => e.type))).toEqual([]);
    expect(platform.alertEngine.stats()).toMatchObject({ restoredFrom: head, duplicates: 0, raised: 0 });
    expect(platform.alerts.messagesAfter(0).map((m) => (m.type === 'alert-raised' ? m.alert.alertId : `${m.resolution.alertId}/resolved`))).toEqual(before);
  }, 120_000);
});
