/**
 * The alert engine on a worker thread, on the SQLite ledger and snapshot store: it concludes
 * what a from-scratch fold of the ledger does, appends each alert once, saves snapshots the
 * in-thread engine resumes from (and the other way round); and when its thread dies mid-run it
 * restarts from the snapshot, with nothing lost and nothing appended twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../../src/adapters/ledger/sqlite/sqliteLedger.js';
import { openSqliteSnapshotStore } from '../../../src/adapters/snapshot-store/sqlite/sqliteSnapshotStore.js';
import { createUuidV7Generator } from '../../../src/adapters/system/uuidv7.js';
import { systemClock } from '../../../src/adapters/system/systemClock.js';
import { recordAlerts } from '../../../src/commands/recordAlerts.js';
import { recordObservations } from '../../../src/commands/recordObservations.js';
import { registerAlertRule } from '../../../src/commands/registerAlertRule.js';
import { ALERT_ENGINE_SNAPSHOT, createAlertEngine, type AlertEngine } from '../../../src/projections/alerts/alertEngine.js';
import { createAlertEngineThread } from '../../../src/projections/alerts/thread/alertEngineThread.js';
import { alertsFromScratch, alertsIn } from '../../support/ledgerAlerts.js';
import { TEST_LEDGER_SIGNER } from '../../support/ledgerSigner.js';
import { origin, trade } from '../../support/platform.js';

const LATENESS = 2_000;
const T = Date.UTC(2024, 0, 1);
const RULE = { ruleId: 'level-105', detector: 'price-level', symbols: '*', params: { level: 105, bandBps: 10 }, severity: 'warning' };

/** Crossings of 105 on three symbols: an alert raised or resolved every few trades. */
const crossings = (from: number, n: number) =>
  Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return trade(String(i), Math.floor(i / 12) % 2 === 0 ? '100' : '110', T + i * 500, { symbol: ['BTC-USDT', 'ETH-USDT', 'SOL-USDT'][i % 3] });
  });

describe('alert engine on a worker thread', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  const setup = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-alert-thread-'));
    const ledger = openSqliteLedger({ path: path.join(dir, 'ledger.sqlite'), clock: systemClock, signer: TEST_LEDGER_SIGNER });
    const snapshots = openSqliteSnapshotStore({ path: path.join(dir, 'snapshots.sqlite') });
    const deps = { ledger, clock: systemClock, ids: createUuidV7Generator(systemClock) };
    const logs: string[] = [];
    const engines: AlertEngine[] = [];
    cleanups.push(async () => {
      for (const e of engines) await e.stop();
      await snapshots.close();
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const engineDeps = {
      ledger,
      allowedLatenessMs: LATENESS,
      record: (o: Parameters<typeof recordAlerts>[1], from: Parameters<typeof recordAlerts>[2]) => recordAlerts(deps, o, from),
      snapshots,
      clock: systemClock,
      snapshotEveryEvents: 50,
      snapshotIntervalMs: 3_600_000,
      log: { info: (m: string) => logs.push(`info ${m}`), warn: (m: string) => logs.push(`warn ${m}`) },
      batchSize: 37,
      retryDelayMs: 50,
    };
    const track = <E extends AlertEngine>(e: E): E => {
      engines.push(e);
      return e;
    };
    const feed = async (from: number, n: number) => {
      for (let i = from; i < from + n; i += 40) await recordObservations(deps, { origin, items: crossings(i, Math.min(40, from + n - i)) });
    };
    const settle = async (e: AlertEngine) => {
      for (let i = 0; i < 3; i++) await e.waitFor((await ledger.head()).position);
    };
    return { ledger, snapshots, deps, logs, engineDeps, track, feed, settle };
  };

  it('concludes what a from-scratch fold does, each alert once, and its snapshot resumes the in-thread engine', async () => {
    const s = setup();
    await registerAlertRule(s.deps, RULE, origin);
    await s.feed(0, 600);
    const threaded = s.track(createAlertEngineThread(s.engineDeps));
    await threaded.start();
    await threaded.caughtUp;
    await s.feed(600, 300);
    await s.settle(threaded);
    expect(threaded.stats().raised).toBeGreaterThan(10);
    expect(threaded.stats().snapshotsSaved).toBeGreaterThan(3);
    await threaded.stop();
    const saved = await s.snapshots.load(ALERT_ENGINE_SNAPSHOT);
    expect(saved?.checkpoint).toBe(threaded.stats().checkpoint);

    await s.feed(900, 300);
    const inThread = s.track(createAlertEngine(s.engineDeps));
    await inThread.start();
    expect(inThread.stats().restoredFrom).toBe(saved!.checkpoint);
    await s.settle(inThread);
    expect(inThread.stats().duplicates).toBe(0);

    const appended = await alertsIn(s.ledger);
    expect(new Set(appended).size).toBe(appended.length);
    expect(appended.sort()).toEqual((await alertsFromScratch(s.ledger, LATENESS)).sort());
  });

  it('restarts from its snapshot when its thread dies mid-run: nothing lost, nothing appended twice', async () => {
    const s = setup();
    const exits: string[] = [];
    await registerAlertRule(s.deps, RULE, origin);
    await s.feed(0, 300);
    const threaded = s.track(createAlertEngineThread({ ...s.engineDeps, onWorkerExit: (r) => exits.push(r) }));
    await threaded.start();
    await threaded.caughtUp;
    // Trades keep coming while the thread is killed twice.
    const feeding = s.feed(300, 900);
    for (let k = 0; k < 2; k++) {
      await s.settle(threaded);
      await threaded.killWorker();
    }
    await feeding;
    await s.settle(threaded);
    expect(exits).toHaveLength(2);
    expect(exits[0]).toMatch(/the alert engine's thread exited/);
    expect(threaded.stats().restoredFrom).toBeGreaterThan(0);

    const appended = await alertsIn(s.ledger);
    expect(new Set(appended).size).toBe(appended.length);
    expect(appended.sort()).toEqual((await alertsFromScratch(s.ledger, LATENESS)).sort());
  });
});
