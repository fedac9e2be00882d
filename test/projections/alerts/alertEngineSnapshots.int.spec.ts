/**
 * The alert engine's snapshots, on the SQLite ledger and snapshot store: a restart resumes from
 * the saved position and concludes exactly what a from-scratch fold of the ledger does; a
 * snapshot of another fold version, of another ledger or with a corrupt state is logged with its
 * reason and the engine folds from position 0 instead, with the same result.
 */
import { ALERT_FOLD_VERSION } from '../../../src/domain/detectors/alertFold.js';
import { alertsFromScratch, alertsIn } from '../../support/ledgerAlerts.js';
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
import type { SnapshotStore } from '../../../src/domain/ports.js';
import { ALERT_ENGINE_SNAPSHOT, createAlertEngine, type AlertEngine, type AlertEngineDeps } from '../../../src/projections/alerts/alertEngine.js';
import { origin, trade } from '../../support/platform.js';
import { TEST_LEDGER_SIGNER } from '../../support/ledgerSigner.js';

const LATENESS = 2_000;
const T = Date.UTC(2024, 0, 1);
const RULE = { ruleId: 'level-105', detector: 'price-level', symbols: '*', params: { level: 105, bandBps: 10 }, severity: 'warning' };

/** Crossings of 105 on three symbols, `n` trades from index `from`: an alert raised or resolved every few trades. */
const crossings = (from: number, n: number) =>
  Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return trade(String(i), Math.floor(i / 12) % 2 === 0 ? '100' : '110', T + i * 500, { symbol: ['BTC-USDT', 'ETH-USDT', 'SOL-USDT'][i % 3] });
  });

describe('alert engine snapshots', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  const setup = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-alert-snap-'));
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
    const engine = (store: SnapshotStore = snapshots, every = 50, record: AlertEngineDeps['record'] = (o, from) => recordAlerts(deps, o, from), retryDelayMs = 1_000): AlertEngine => {
      const e = createAlertEngine({
        ledger,
        allowedLatenessMs: LATENESS,
        record,
        snapshots: store,
        clock: systemClock,
        snapshotEveryEvents: every,
        snapshotIntervalMs: 3_600_000,
        log: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`) },
        batchSize: 37,
        retryDelayMs,
      });
      engines.push(e);
      return e;
    };
    const feed = async (from: number, n: number) => {
      for (let i = from; i < from + n; i += 40) await recordObservations(deps, { origin, items: crossings(i, Math.min(40, from + n - i)) });
    };
    const settle = async (e: AlertEngine) => {
      for (let i = 0; i < 3; i++) await e.waitFor((await ledger.head()).position);
    };
    return { ledger, snapshots, deps, logs, engine, feed, settle };
  };

  it('a restart resumes from the snapshot, and the alerts equal a from-scratch fold, none appended twice', async () => {
    const s = setup();
    await registerAlertRule(s.deps, RULE, origin);
    await s.feed(0, 600);
    const first = s.engine();
    await first.start();
    await s.settle(first);
    expect(first.stats().snapshotsSaved).toBeGreaterThan(3);
    await first.stop();
    const saved = await s.snapshots.load(ALERT_ENGINE_SNAPSHOT);
    expect(saved?.checkpoint).toBe(first.stats().checkpoint);

    await s.feed(600, 600);
    const second = s.engine();
    await second.start();
    expect(second.stats().restoredFrom).toBe(saved!.checkpoint);
    await s.settle(second);
    // Nothing it concluded was already in the ledger: it did not re-fold what the snapshot covers.
    expect(second.stats().duplicates).toBe(0);
    expect(second.stats().raised).toBeGreaterThan(10);
    expect(s.logs).toContain(`info alert engine: resumed from its snapshot "alert-engine" at ledger position ${saved!.checkpoint}`);

    const appended = await alertsIn(s.ledger);
    expect(new Set(appended).size).toBe(appended.length);
    expect(appended.sort()).toEqual((await alertsFromScratch(s.ledger, LATENESS)).sort());
  });

  it.each([
    ['another fold version', (saved: { version: number }) => ({ ...saved, version: saved.version + 1 }), new RegExp(`fold version ${ALERT_FOLD_VERSION + 1}, this engine folds version ${ALERT_FOLD_VERSION}`)],
    ['another ledger', (saved: { checkpointHash: string }) => ({ ...saved, checkpointHash: 'f'.repeat(64) }), /does not match this ledger \(another event there\)/],
    ['a corrupt state', (saved: { state: string }) => ({ ...saved, state: saved.state.replace('"rules":[[', '"rules":[[7,') }), /is unusable: snapshot rules\[0\]/],
    ['text that is not JSON', (saved: { state: string }) => ({ ...saved, state: saved.state.slice(0, 100) }), /is unusable: not JSON/],
  ] as const)('a snapshot of %s is logged with its reason and the engine replays from 0, with the same alerts', async (_name, spoil, reason) => {
    const s = setup();
    await registerAlertRule(s.deps, RULE, origin);
    await s.feed(0, 400);
    const first = s.engine();
    await first.start();
    await s.settle(first);
    await first.stop();
    const saved = (await s.snapshots.load(ALERT_ENGINE_SNAPSHOT))!;
    await s.snapshots.save(ALERT_ENGINE_SNAPSHOT, spoil(saved as never) as typeof saved);

    await s.feed(400, 200);
    const second = s.engine();
    await second.start();
    expect(second.stats().restoredFrom).toBe(0);
    expect(s.logs.filter((l) => l.startsWith('warn')).join('\n')).toMatch(reason);
    expect(s.logs.some((l) => l.endsWith('folding the ledger from position 0 instead'))).toBe(true);
    await s.settle(second);
    // Everything the first engine had appended is concluded again and dropped as a duplicate.
    expect(second.stats().duplicates).toBeGreaterThan(10);
    const appended = await alertsIn(s.ledger);
    expect(new Set(appended).size).toBe(appended.length);
    expect(appended.sort()).toEqual((await alertsFromScratch(s.ledger, LATENESS)).sort());
  });

  it('a snapshot store that fails costs only a replay: the engine runs on and logs why', async () => {
    const s = setup();
    await registerAlertRule(s.deps, RULE, origin);
    await s.feed(0, 300);
    const broken: SnapshotStore = {
      load: () => Promise.reject(new Error('store down')),
      save: () => Promise.reject(new Error('store down')),
      close: () => Promise.resolve(),
    };
    const e = s.engine(broken);
    await e.start();
    await s.settle(e);
    expect(e.stats().snapshotsSaved).toBe(0);
    expect(s.logs).toContain('warn alert engine: cannot read its snapshot "alert-engine"; folding the ledger from position 0 instead');
    expect(s.logs.some((l) => /^warn alert engine: saving its snapshot "alert-engine" at position \d+ failed/.test(l))).toBe(true);
    expect((await alertsIn(s.ledger)).sort()).toEqual((await alertsFromScratch(s.ledger, LATENESS)).sort());
  });

  it('an append that fails: nothing after it lands, and the engine resumes by itself from its snapshot; the alerts equal a from-scratch fold, none twice', async () => {
    const s = setup();
    await registerAlertRule(s.deps, RULE, origin);
    await s.feed(0, 600);
    // The engine folds the next page while a page's alerts are appended: the third append fails
    // while later pages are already folded.
    let calls = 0;
    let landedAfterFailure = 0;
    const e = s.engine(s.snapshots, 50, async (outputs, from) => {
      if (++calls === 3) throw new Error('ledger unavailable');
      if (!s.logs.some((l) => l.includes('resuming'))) landedAfterFailure += calls > 3 ? 1 : 0;
      return recordAlerts(s.deps, outputs, from);
    }, 20);
    await e.start();
    await expect(e.caughtUp).rejects.toThrow('ledger unavailable');
    const failure = s.logs.find((l) => l.startsWith('warn alert engine: stopped following the ledger'));
    expect(failure).toMatch(/^warn alert engine: stopped following the ledger after position \d+ \(ledger unavailable\); resuming from its snapshot in 20 ms$/);
    const stoppedAt = Number(/after position (\d+)/.exec(failure!)![1]);
    // No page folded after the failed one was appended before the engine resumed.
    expect(landedAfterFailure).toBe(0);

    await s.settle(e);
    expect(calls).toBeGreaterThan(3);
    expect(e.stats().restoredFrom).toBeLessThanOrEqual(stoppedAt);
    const appended = await alertsIn(s.ledger);
    expect(new Set(appended).size).toBe(appended.length);
    expect(appended.sort()).toEqual((await alertsFromScratch(s.ledger, LATENESS)).sort());
    await s.feed(600, 120);
    await s.settle(e);
    expect((await alertsIn(s.ledger)).sort()).toEqual((await alertsFromScratch(s.ledger, LATENESS)).sort());
  });
});
