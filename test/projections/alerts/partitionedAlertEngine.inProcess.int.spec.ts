/**
 * The consumer-group alert engine on the SQLite ledger and the in-process bus (one partition):
 * rules registered and retired mid-stream reach the member at their ledger positions; a second
 * member that takes over from a stopped one resumes from its snapshot; waitFor resolves once the
 * trades through a position are folded and recorded. Alerts equal the ledger engine's fold.
 */
import { alertsFromScratch, alertsIn } from '../../support/ledgerAlerts.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInProcessBus } from '../../../src/adapters/bus/in-process/inProcessBus.js';
import { openSqliteLedger } from '../../../src/adapters/ledger/sqlite/sqliteLedger.js';
import { openSqliteSnapshotStore } from '../../../src/adapters/snapshot-store/sqlite/sqliteSnapshotStore.js';
import type { Ledger } from '../../../src/domain/ports.js';
import { createUuidV7Generator } from '../../../src/adapters/system/uuidv7.js';
import { systemClock } from '../../../src/adapters/system/systemClock.js';
import { recordAlerts } from '../../../src/commands/recordAlerts.js';
import { recordObservations } from '../../../src/commands/recordObservations.js';
import { recordModelTraining } from '../../../src/commands/recordModelTraining.js';
import { registerAlertRule } from '../../../src/commands/registerAlertRule.js';
import { setModelAlias } from '../../../src/commands/setModelAlias.js';
import { canonicalJson } from '../../../src/domain/events/canonical.js';
import { sha256Hex } from '../../../src/domain/sha256.js';
import { TEST_ANOMALY_MODEL } from '../../support/alertScenarios.js';
import { retireAlertRule } from '../../../src/commands/retireAlertRule.js';
import { createPartitionedAlertEngine } from '../../../src/projections/alerts/partitionedAlertEngine.js';
import { createRelay } from '../../../src/projections/relay/relay.js';
import { origin, trade } from '../../support/platform.js';
import { TEST_LEDGER_SIGNER } from '../../support/ledgerSigner.js';

const LATENESS = 1_000;
const T = Date.UTC(2024, 0, 1);
/** Polls of a waitFor whose partition is behind, after its first look: none may read the ledger. */
const POLLS_BEHIND = 40;

const crossings = (from: number, n: number) =>
  Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return trade(String(i), Math.floor(i / 8) % 2 === 0 ? '100' : '110', T + i * 500, { symbol: ['BTC-USDT', 'ETH-USDT'][i % 2] });
  });

describe('consumer-group alert engine (in-process bus)', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  /** A SQLite ledger, snapshot store, in-process bus (one partition) and relay, closed after the test. */
  const fixture = (relayBatchSize?: number) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-group-engine-'));
    const ledger = openSqliteLedger({ path: path.join(dir, 'ledger.sqlite'), clock: systemClock, signer: TEST_LEDGER_SIGNER });
    const snapshots = openSqliteSnapshotStore({ path: path.join(dir, 'snapshots.sqlite') });
    const bus = createInProcessBus();
    const relay = createRelay({ ledger, bus, ...(relayBatchSize === undefined ? {} : { batchSize: relayBatchSize }) });
    cleanups.push(async () => {
      await relay.stop();
      await bus.close();
      await snapshots.close();
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return { ledger, snapshots, bus, relay, deps: { ledger, clock: systemClock, ids: createUuidV7Generator(systemClock) } };
  };

  it('rules reach the member at their positions; a member taking over resumes from the snapshot; alerts equal the ledger engine\'s', async () => {
    const { ledger, snapshots, bus, relay, deps } = fixture();
    await relay.start();
    const member = () =>
      createPartitionedAlertEngine({ ledger, bus, group: 'alerts', allowedLatenessMs: LATENESS, record: (o, from) => recordAlerts(deps, o, from), snapshots, clock: systemClock, snapshotEveryEvents: 40, snapshotIntervalMs: 3_600_000, pollMs: 10 });

    const a = member();
    await a.start();
    await recordObservations(deps, { origin, items: crossings(0, 100) });
    // A rule registered mid-stream sees only the trades recorded after it.
    await registerAlertRule(deps, { ruleId: 'level', detector: 'price-level', symbols: '*', params: { level: 105 }, severity: 'info' }, origin);
    await recordObservations(deps, { origin, items: crossings(100, 100) });
    await a.waitFor((await ledger.head()).position);
    expect(a.stats().raised).toBeGreaterThan(5);
    await a.stop();

    // Another member takes over from the group's offsets and A's snapshot; a second rule and a retirement follow.
    const b = member();
    await b.start();
    cleanups.push(() => b.stop());
    await registerAlertRule(deps, { ruleId: 'level-up', detector: 'price-level', symbols: ['ETH-USDT'], params: { level: 108, direction: 1 }, severity: 'warning' }, origin);
    await recordObservations(deps, { origin, items: crossings(200, 100) });
    await retireAlertRule(deps, 'level', 'test', origin);
    await recordObservations(deps, { origin, items: crossings(300, 100) });
    const head = (await ledger.head()).position;
    await relay.waitFor(head);
    await b.waitFor(head);
    expect(b.partitionStats().restored).toEqual([{ partition: 0, from: expect.any(Number) }]);
    expect(b.partitionStats().restored[0]!.from).toBeGreaterThan(0);
    expect(b.stats().duplicates).toBe(0);

    const appended = await alertsIn(ledger);
    expect(new Set(appended).size).toBe(appended.length);
    expect(appended.sort()).toEqual((await alertsFromScratch(ledger, LATENESS)).sort());
    expect(appended.some((x) => x.includes('level-up.'))).toBe(true);
  });

  it('the champion anomaly model reaches every member at its position: a member taking over scores with it, alerts equal the ledger engine\'s', async () => {
    const { ledger, snapshots, bus, relay, deps } = fixture();
    await relay.start();
    const member = () =>
      createPartitionedAlertEngine({ ledger, bus, group: 'alerts', allowedLatenessMs: LATENESS, record: (o, from) => recordAlerts(deps, o, from), snapshots, clock: systemClock, snapshotEveryEvents: 40, snapshotIntervalMs: 3_600_000, pollMs: 10 });
    const training = {
      trainingId: 'anomaly-1', modelId: 'BTC-USDT.anomaly.1h', symbol: 'BTC-USDT', kind: 'anomaly' as const, algorithm: 'robust-z', engine: 'embedded', interval: '1h' as const, horizonBars: 1,
      spec: {}, features: [], seed: 1, parameters: {}, requestedRange: { from: 0, to: 1 }, trainingRange: { from: 0, to: 1 }, rows: { usable: 1, dropped: 0 }, ledgerCheckpoint: null,
      featureSource: { definitionVersion: 1, batchVersion: null }, metrics: {}, naiveMetrics: {}, skill: null, beatsNaive: false, intervals: [], importances: {}, folds: [],
      modelHash: sha256Hex(canonicalJson(TEST_ANOMALY_MODEL)), model: TEST_ANOMALY_MODEL, durationMs: 0, codeVersion: 'test',
    };
    await registerAlertRule(deps, { ruleId: 'anomaly', detector: 'anomaly-model', symbols: '*', params: { barMs: 1_000 }, severity: 'critical' }, origin);
    const a = member();
    await a.start();
    await recordObservations(deps, { origin, items: crossings(0, 100) });
    // Trained and promoted while A runs; A stops and B takes over mid-stream.
    expect((await recordModelTraining(deps, training, origin)).version).toBe(1);
    expect((await setModelAlias(deps, { modelId: training.modelId, alias: 'champion', version: 1, reason: 'test' }, origin)).changed).toBe(true);
    await recordObservations(deps, { origin, items: crossings(100, 100) });
    await a.waitFor((await ledger.head()).position);
    await a.stop();
    const b = member();
    await b.start();
    cleanups.push(() => b.stop());
    await recordObservations(deps, { origin, items: crossings(200, 200) });
    const head = (await ledger.head()).position;
    await relay.waitFor(head);
    await b.waitFor(head);
    const appended = await alertsIn(ledger);
    expect(new Set(appended).size).toBe(appended.length);
    expect(appended.sort()).toEqual((await alertsFromScratch(ledger, LATENESS)).sort());
    // Not vacuous: the champion raised on BTC-USDT, before and after the takeover, and on no other symbol.
    const raised = (await ledger.read(0, 100_000)).filter((e) => e.type === 'AlertRaised').map((e) => e.data as { alertId: string; eventTime: number; evidence: { version: number } });
    expect(raised.length).toBeGreaterThan(2);
    expect(raised.every((r) => r.alertId.startsWith('anomaly.BTC-USDT.anomaly.1h.') && r.evidence.version === 1)).toBe(true);
    expect(raised.some((r) => r.eventTime >= T + 200 * 500)).toBe(true);
  });

  it('a batch whose alerts cannot be appended is not lost: the member rejoins from its snapshot and concludes them again', async () => {
    const { ledger, snapshots, bus, relay, deps } = fixture(30);
    await registerAlertRule(deps, { ruleId: 'level', detector: 'price-level', symbols: '*', params: { level: 105 }, severity: 'info' }, origin);
    let calls = 0;
    const warnings: string[] = [];
    const engine = createPartitionedAlertEngine({
      ledger,
      bus,
      group: 'alerts',
      allowedLatenessMs: LATENESS,
      // The fourth append fails, as a ledger that is briefly unreachable would.
      record: (o, from) => (++calls === 4 ? Promise.reject(new Error('ledger unreachable')) : recordAlerts(deps, o, from)),
      snapshots,
      clock: systemClock,
      snapshotEveryEvents: 20,
      snapshotIntervalMs: 3_600_000,
      pollMs: 10,
      retryMs: 20,
      log: { info: () => undefined, warn: (m) => warnings.push(m) },
    });
    await engine.start();
    cleanups.push(() => engine.stop());
    await relay.start();
    // Batch by batch, so that the failure falls after some snapshots.
    for (let i = 0; i < 300; i += 30) {
      await recordObservations(deps, { origin, items: crossings(i, 30) });
      const head = (await ledger.head()).position;
      await relay.waitFor(head);
      await engine.waitFor(head);
    }
    expect(engine.partitionStats().restored.map((r) => r.from)).toEqual([0, expect.any(Number)]);
    expect(engine.partitionStats().restored[1]!.from).toBeGreaterThan(0);
    expect(engine.partitionStats().restarts).toBe(1);
    expect(warnings).toContain('alert engine: a batch failed; rejoining the group from the snapshots');
    const appended = await alertsIn(ledger);
    expect(appended.length).toBeGreaterThan(10);
    expect(new Set(appended).size).toBe(appended.length);
    expect(appended.sort()).toEqual((await alertsFromScratch(ledger, LATENESS)).sort());
  });

  /** The ledger as the engine sees it, counting the events it reads back. */
  const countingReads = (ledger: Ledger) => {
    const counted = { events: 0, calls: 0, streamReads: 0 };
    const wrapped: Ledger = {
      ...ledger,
      read: async (after, limit) => {
        const page = await ledger.read(after, limit);
        counted.calls++;
        counted.events += page.length;
        return page;
      },
      readStream: async (stream, options) => {
        counted.streamReads++;
        return ledger.readStream(stream, options);
      },
    };
    return { wrapped, counted };
  };

  it('waitFor reads nothing back for a burst the member has folded, and nothing again while a partition is still behind', async () => {
    const { ledger, snapshots, bus, relay, deps } = fixture();
    const { wrapped, counted } = countingReads(ledger);
    let gate: Promise<void> = Promise.resolve();
    /** Batches whose alerts are being recorded: a folded batch counts as done only once they are in the ledger. */
    let recording = 0;
    const engine = createPartitionedAlertEngine({
      ledger: wrapped,
      bus,
      group: 'alerts',
      allowedLatenessMs: LATENESS,
      record: async (o, from) => {
        recording++;
        try {
          await gate;
          return await recordAlerts(deps, o, from);
        } finally {
          recording--;
        }
      },
      snapshots,
      clock: systemClock,
      snapshotEveryEvents: 1_000,
      snapshotIntervalMs: 3_600_000,
      pollMs: 5,
    });
    await registerAlertRule(deps, { ruleId: 'level', detector: 'price-level', symbols: '*', params: { level: 105 }, severity: 'info' }, origin);
    await relay.start();
    await engine.start();
    cleanups.push(() => engine.stop());
    await recordObservations(deps, { origin, items: crossings(0, 10) });
    await engine.waitFor((await ledger.head()).position);

    // Folded already: the partition's position answers, with no read.
    // (Targets are the last trade's position: the engine's own alerts land after it.)
    let last = 0;
    for (let i = 10; i < 2_010; i += 500) last = (await recordObservations(deps, { origin, items: crossings(i, 500) })).lastPosition;
    await relay.waitFor(last);
    await expect.poll(() => engine.partitionStats().partitions[0] === last && recording === 0, { timeout: 10_000 }).toBe(true);
    counted.events = 0;
    await engine.waitFor(last);
    expect(counted.events).toBe(0);

    // Behind (its alerts cannot land yet): one look finds the first unfolded trade, later polls wait on it without reading.
    let open!: () => void;
    gate = new Promise<void>((r) => (open = r));
    cleanups.push(() => open());
    last = (await recordObservations(deps, { origin, items: crossings(2_010, 500) })).lastPosition;
    await relay.waitFor(last);
    counted.calls = 0;
    // The engine's poll timer is the test's: each advance is exactly one more poll, however
    // loaded the machine (only setTimeout is faked; the ledger and the bus run on setImmediate).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let done = false;
      const waited = engine.waitFor(last).then(() => void (done = true));
      const nextTurn = () => new Promise((r) => setImmediate(r));
      while (vi.getTimerCount() === 0) await nextTurn(); // the first look has ended in a sleep until the next poll
      const afterFirstLook = counted.calls;
      expect(afterFirstLook).toBeGreaterThan(0);
      for (let poll = 1; poll <= POLLS_BEHIND; poll++) {
        await vi.advanceTimersToNextTimerAsync();
        expect(vi.getTimerCount(), `poll ${poll} ended in another sleep`).toBe(1);
      }
      expect(counted.calls).toBe(afterFirstLook);
      expect(done).toBe(false);
      open();
      while (!done) await vi.advanceTimersToNextTimerAsync();
      await waited;
    } finally {
      vi.useRealTimers();
    }
    expect(engine.partitionStats().partitions[0]).toBe(last);
  });

  it('rules are read stream by stream once; after that only rule events recorded since are read, however many rules there are', async () => {
    const { ledger, snapshots, bus, relay, deps } = fixture(30);
    const { wrapped, counted } = countingReads(ledger);
    for (let i = 0; i < 30; i++) {
      await registerAlertRule(deps, { ruleId: `level-${i}`, detector: 'price-level', symbols: '*', params: { level: 100 + i }, severity: 'info' }, origin);
    }
    const engine = createPartitionedAlertEngine({ ledger: wrapped, bus, group: 'alerts', allowedLatenessMs: LATENESS, record: (o, from) => recordAlerts(deps, o, from), snapshots, clock: systemClock, snapshotEveryEvents: 1_000, snapshotIntervalMs: 3_600_000, pollMs: 5 });
    await relay.start();
    await engine.start();
    cleanups.push(() => engine.stop());
    let last = (await recordObservations(deps, { origin, items: crossings(0, 30) })).lastPosition;
    await relay.waitFor(last);
    await engine.waitFor(last);
    expect(counted.streamReads).toBe(30);

    // Ten more batches and a rule retired between them: no stream is read again, and the retirement still takes effect.
    for (let i = 30; i < 330; i += 30) {
      if (i === 180) await retireAlertRule(deps, 'level-5', 'test', origin);
      last = (await recordObservations(deps, { origin, items: crossings(i, 30) })).lastPosition;
    }
    await relay.waitFor(last);
    await engine.waitFor(last);
    expect(counted.streamReads).toBe(30);
    const appended = await alertsIn(ledger);
    expect(new Set(appended).size).toBe(appended.length);
    expect(appended.sort()).toEqual((await alertsFromScratch(ledger, LATENESS)).sort());
  });
});
