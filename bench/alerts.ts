/**
 * alerts: (1) trades/s through the live projection plus the alert engine with every detector on
 * (the four default rules and a price-level rule, all symbols) for 1,000 symbols, against the
 * live projection alone over the same ledger in the same run (goal ≥ 0.5×); (2) p50/p99 latency
 * from a trade's append to the alert it causes reaching a /ws/alerts subscriber while trades are
 * appended at 50,000/s (goal p99 ≤ 25 ms), and first at a rate the machine sustains
 * (BENCH_SUSTAINED_RATE, default 1,000/s), so queueing behind a saturated ledger is told apart from
 * the alert path; beside each, the p99 of the trade's own append. Part (2) runs with allowed
 * lateness 0: with a lateness bound L an alert waits, by design, until the watermark passes its
 * trade, i.e. L ms more.
 * `-- --thread worker` runs the alert engine on a worker thread of its own in both parts
 * (the `alertEngineThread` setting); the default is the setting's default.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import WebSocket from 'ws';
import { createInProcessBroadcaster } from '../src/adapters/broadcast/in-process/inProcessBroadcaster.js';
import { buildServer } from '../src/adapters/http/server.js';
import { loadOrCreateSigningKey } from '../src/adapters/ledger/checkpoint/signingKeyFile.js';
import { openSqliteLedger } from '../src/adapters/ledger/sqlite/sqliteLedger.js';
import { createMemoryLiveStore } from '../src/adapters/live-store/memory/memoryLiveStore.js';
import { openSqliteSnapshotStore } from '../src/adapters/snapshot-store/sqlite/sqliteSnapshotStore.js';
import { createSimulatorSource } from '../src/adapters/sources/simulator/simulatorSource.js';
import { createUuidV7Generator } from '../src/adapters/system/uuidv7.js';
import { systemClock } from '../src/adapters/system/systemClock.js';
import { DEFAULT_CONFIG } from '../src/app/config.js';
import { openPlatform } from '../src/app/platform.js';
import { recordAlerts } from '../src/commands/recordAlerts.js';
import { recordObservations } from '../src/commands/recordObservations.js';
import { registerAlertRule } from '../src/commands/registerAlertRule.js';
import { createAlertEngine } from '../src/projections/alerts/alertEngine.js';
import { createAlertEngineThread } from '../src/projections/alerts/thread/alertEngineThread.js';
import { DEFAULT_ALERT_RULES } from '../src/projections/alerts/defaultRules.js';
import { createLiveProjection } from '../src/projections/live/liveProjection.js';
import type { SourceItem } from '../src/domain/ports.js';
import type { AlertFeedMessage } from '../src/domain/ports.js';
import { percentile } from './support/simulatedTrades.js';

const TRADES = Number(process.env['BENCH_TRADES'] ?? 300_000);
const SYMBOLS = 1_000;
const RATE = 50_000;
const MAX_IN_FLIGHT = 8;
const SUSTAINED_RATE = Number(process.env['BENCH_SUSTAINED_RATE'] ?? 1_000);
const LATENCY_SECONDS = Number(process.env['BENCH_LATENCY_SECONDS'] ?? 10);
const origin = { actor: 'bench', correlationId: 'bench', source: 'bench' };
const policy = { allowedLatenessMs: 5_000, retentionMs: 3_600_000 };
const threadFlag = process.argv.indexOf('--thread');
const THREAD = threadFlag === -1 ? DEFAULT_CONFIG.alertEngineThread : process.argv[threadFlag + 1];
if (THREAD !== 'main' && THREAD !== 'worker') {
  process.stderr.write(`alerts: --thread must be main or worker, got ${THREAD}\n`);
  process.exit(2);
}

const timed = async (f: () => Promise<void>): Promise<number> => {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
};

// ─── (1) throughput over one ledger ───────────────────────────────────────────────────────
const throughput = async (): Promise<{ alone: number; withAlerts: number; alerts: number }> => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-bench-alerts-'));
  const ledger = openSqliteLedger({ path: path.join(dir, 'ledger.sqlite'), clock: systemClock, signer: loadOrCreateSigningKey(path.join(dir, 'ledger-key.json')) });
  const deps = { ledger, clock: systemClock, ids: createUuidV7Generator(systemClock) };
  for (const r of DEFAULT_ALERT_RULES) await registerAlertRule(deps, r, origin);
  await registerAlertRule(deps, { ruleId: 'bench-level', detector: 'price-level', symbols: '*', severity: 'info', params: { level: 1 } }, origin);
  const source = createSimulatorSource({ seed: 5, symbols: SYMBOLS, tradesPerSecond: 500, maxTrades: TRADES, batchSize: 2_000 });
  await source.run(async (b) => void (await recordObservations(deps, { origin, items: b.items })), new AbortController().signal);

  const liveAlone = createLiveProjection({ ledger, store: createMemoryLiveStore(), broadcaster: createInProcessBroadcaster(), policy });
  const alone = await timed(async () => {
    await liveAlone.start();
    await liveAlone.caughtUp;
  });
  await liveAlone.stop();

  const live = createLiveProjection({ ledger, store: createMemoryLiveStore(), broadcaster: createInProcessBroadcaster(), policy });
  const snapshots = openSqliteSnapshotStore({ path: path.join(dir, 'snapshots.sqlite') });
  // Snapshots at the platform's default pace: their cost is part of the engine's.
  const engine = (THREAD === 'worker' ? createAlertEngineThread : createAlertEngine)({
    ledger,
    allowedLatenessMs: policy.allowedLatenessMs,
    record: (o, from) => recordAlerts(deps, o, from),
    snapshots,
    clock: systemClock,
    snapshotEveryEvents: DEFAULT_CONFIG.alertSnapshotEvents,
    snapshotIntervalMs: DEFAULT_CONFIG.alertSnapshotIntervalMs,
  });
  const withAlerts = await timed(async () => {
    await Promise.all([live.start(), engine.start()]);
    await Promise.all([live.caughtUp, engine.caughtUp]);
  });
  const alerts = engine.stats().raised;
  await Promise.all([live.stop(), engine.stop()]);
  await snapshots.close();
  await ledger.close();
  rmSync(dir, { recursive: true, force: true });
  return { alone: TRADES / alone, withAlerts: TRADES / withAlerts, alerts };
};

// ─── (2) append → WebSocket latency at 50,000 trades/s ──────────────────────────────────────
const latency = async (rate: number): Promise<{ latencies: number[]; appendLatencies: number[]; achievedRate: number }> => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-bench-alerts-ws-'));
  const platform = await openPlatform({
    config: { ...DEFAULT_CONFIG, dataDir: dir, source: 'none', batchIntervalMs: 3_600_000, allowedLatenessMs: 0, alertEngineThread: THREAD },
    logger: pino({ level: 'silent' }),
  });
  await platform.commands.registerAlertRule({ ruleId: 'bench-level', detector: 'price-level', symbols: ['LVL-USDT'], severity: 'info', params: { level: 100, bandBps: 0 } }, origin);
  const app = await buildServer(platform, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;

  /** When each batch was handed to the ledger and when its append was acknowledged, by its last position. */
  const appendedAt: Array<{ last: number; at: number; acknowledged: number }> = [];
  const latencies: number[] = [];
  /** Of each latency, the part the trade's own append took: the ledger's share, not the alert path's. */
  const appendLatencies: number[] = [];
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/alerts?rule=bench-level`);
  await new Promise((r) => ws.once('open', r));
  ws.on('message', (raw) => {
    const now = performance.now();
    const m = JSON.parse(String(raw)) as AlertFeedMessage | { type: 'caught-up' };
    if (m.type !== 'alert-raised') return;
    const trades = (m.alert.evidence as { trades: Array<{ position: number }> }).trades;
    const cause = trades[trades.length - 1]!.position;
    const batch = appendedAt.find((b) => b.last >= cause);
    if (batch !== undefined) {
      latencies.push(now - batch.at);
      appendLatencies.push(batch.acknowledged - batch.at);
    }
  });

  const perTick = rate / 100; // a batch every 10 ms
  let id = 0;
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  for (let tick = 0; tick < LATENCY_SECONDS * 100; tick++) {
    const due = started + tick * 10;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const now = Date.now();
    const items: SourceItem[] = [];
    for (let i = 0; i < perTick; i++) {
      id++;
      // Every 100th trade is LVL-USDT, crossing 100 each time; the rest spread over 1,000 symbols.
      const lvl = id % 100 === 0;
      const symbol = lvl ? 'LVL-USDT' : `S${id % SYMBOLS}-USDT`;
      const price = lvl ? ((id / 100) % 2 === 0 ? '101' : '99') : (50 + Math.sin(id) * 0.5).toFixed(4);
      items.push({ kind: 'trade', data: { exchange: 'binance', symbol, tradeId: String(id), price, quantity: '1', side: 'buy', eventTime: now } });
    }
    const at = performance.now();
    // Appends overlap (the ledger group-commits them); the pacing, not the previous append, sets the rate.
    while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    const p: Promise<void> = platform.commands.recordObservations({ origin, items }).then((r) => {
      appendedAt.push({ last: r.lastPosition, at, acknowledged: performance.now() });
      inFlight.delete(p);
    });
    inFlight.add(p);
    sent += items.length;
  }
  await Promise.all(inFlight);
  appendedAt.sort((a, b) => a.last - b.last);
  const achievedRate = sent / ((performance.now() - started) / 1000);
  await platform.alertEngine.waitFor((await platform.ledger.head()).position);
  await new Promise((r) => setTimeout(r, 200));
  ws.close();
  await app.close();
  await platform.close();
  rmSync(dir, { recursive: true, force: true });
  return { latencies, appendLatencies, achievedRate };
};

const t = await throughput();
process.stderr.write(`alerts (engine on the ${THREAD} thread) throughput: ${TRADES} trades, ${SYMBOLS} symbols, live alone ${Math.round(t.alone)}/s, live + alert engine ${Math.round(t.withAlerts)}/s, ${t.alerts} alerts raised\n`);
// First the same measurement at a rate this machine sustains, to separate queueing from the alert
// path itself (and before the saturating run, whose disk writes would still be flushing).
const sustained = await latency(SUSTAINED_RATE);
process.stderr.write(`alerts latency at ${SUSTAINED_RATE}/s: ${sustained.latencies.length} alerts, p50 ${percentile(sustained.latencies, 50).toFixed(1)} ms, p99 ${percentile(sustained.latencies, 99).toFixed(1)} ms (the trade's append alone: p99 ${percentile(sustained.appendLatencies, 99).toFixed(1)} ms)\n`);
const l = await latency(RATE);
process.stderr.write(`alerts latency at ${RATE}/s asked: ${l.latencies.length} alerts at ${Math.round(l.achievedRate)} trades/s achieved, p50 ${percentile(l.latencies, 50).toFixed(1)} ms, p99 ${percentile(l.latencies, 99).toFixed(1)} ms (the trade's append alone: p99 ${percentile(l.appendLatencies, 99).toFixed(1)} ms)\n`);
console.log(JSON.stringify({
  bench: 'alerts',
  alertEngineThread: THREAD,
  value: Math.round(t.withAlerts),
  unit: 'trades/s (live projection + alert engine, every detector, 1,000 symbols)',
  baseline: Math.round(t.alone),
  ratio: Number((t.withAlerts / t.alone).toFixed(3)),
  goalRatio: 0.5,
  trades: TRADES,
  alertsRaised: t.alerts,
  latencyAlerts: l.latencies.length,
  latencyRateTradesPerSec: Math.round(l.achievedRate),
  latencyP50Ms: Number(percentile(l.latencies, 50).toFixed(2)),
  latencyP99Ms: Number(percentile(l.latencies, 99).toFixed(2)),
  latencyAppendP99Ms: Number(percentile(l.appendLatencies, 99).toFixed(2)),
  goalP99Ms: 25,
  sustainedRateTradesPerSec: Math.round(sustained.achievedRate),
  sustainedP50Ms: Number(percentile(sustained.latencies, 50).toFixed(2)),
  sustainedP99Ms: Number(percentile(sustained.latencies, 99).toFixed(2)),
  sustainedAppendP99Ms: Number(percentile(sustained.appendLatencies, 99).toFixed(2)),
  baselineUnit: 'trades/s of the live projection alone over the same ledger',
}));
