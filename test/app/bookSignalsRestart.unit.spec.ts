/**
 * The book detectors' state across restarts of the order books (journal, lake, ledger digests,
 * book signals): the same books fed to one uninterrupted run and to runs that stop in between
 * (a clean close; dropped without closing: a crash after the last batch was acknowledged; closed
 * after a batch's rows were taken in but before its alerts were recorded)
 * and start again on the same data folder, ledger and snapshot store raise exactly the same
 * alerts: an episode in progress across a restart neither lost nor raised a second time (a
 * detector started empty would raise it later, under another start, or not at all).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../src/adapters/ledger/sqlite/sqliteLedger.js';
import { openSqliteSnapshotStore } from '../../src/adapters/snapshot-store/sqlite/sqliteSnapshotStore.js';
import { createUuidV7Generator } from '../../src/adapters/system/uuidv7.js';
import { DEFAULT_CONFIG } from '../../src/app/config.js';
import { openOrderBooks, type OrderBooks } from '../../src/app/orderBooks.js';
import { registerAlertRule } from '../../src/commands/registerAlertRule.js';
import type { BookRow } from '../../src/domain/orderbook/archive/bookRow.js';
import type { BookItem } from '../../src/domain/ports.js';
import { busyBookItems } from '../support/bookSignalRows.js';
import { TEST_LEDGER_SIGNER } from '../support/ledgerSigner.js';
import { seededRng, testSeed } from '../support/testSeed.js';

const T0 = Date.UTC(2024, 0, 1);
const origin = { actor: 'test', correlationId: 'c', source: 'test' };
const BATCHES: BookItem[][] = (() => {
  const items = busyBookItems(T0, 3 * 60_000);
  const out: BookItem[][] = [];
  for (let i = 0; i < items.length; i += 40) out.push(items.slice(i, i + 40));
  return out;
})();
/** Every few batches the intervals due are closed (lake file, digest, journal compacted), the state saved first. */
const FLUSH_EVERY = 7;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A clean close; a drop without close (a crash); a close after a batch was accepted but before its alerts were recorded (saved with the state, recorded on start). */
type Stop = 'close' | 'crash' | 'unrecorded';

/** Feeds BATCHES, stopping before each batch of `stops` and starting again; the alerts the ledger holds after. */
const run = async (stops: ReadonlyMap<number, Stop>): Promise<string[]> => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-book-restart-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  let now = T0;
  const clock = { now: () => now };
  const ledger = openSqliteLedger({ path: path.join(dir, 'ledger.sqlite'), clock, signer: TEST_LEDGER_SIGNER });
  const snapshots = openSqliteSnapshotStore({ path: path.join(dir, 'snapshots.sqlite') });
  cleanups.push(() => ledger.close(), () => snapshots.close());
  const deps = { ledger, clock, ids: createUuidV7Generator(clock) };
  await registerAlertRule(deps, { ruleId: 'spoof', detector: 'spoofing', symbols: '*', severity: 'warning' }, origin);
  await registerAlertRule(deps, { ruleId: 'spoof-twice', detector: 'spoofing', symbols: ['BTC-USDT'], severity: 'info', params: { minRepeats: 2, windowMs: 20_000 } }, origin);
  await registerAlertRule(deps, { ruleId: 'arb', detector: 'book-arbitrage', symbols: '*', severity: 'critical', params: { feeBps: 0, minDurationMs: 1_500 } }, origin);
  const config = { ...DEFAULT_CONFIG, dataDir: path.join(dir, 'data'), bookIntervalMs: 10_000, bookGraceMs: 0, bookSnapshotMs: 5_000 };
  const open = () => openOrderBooks({ ...deps, config, broadcaster: { publish: () => undefined }, logger: pino({ level: 'silent' }), snapshots });

  let books: OrderBooks = await open();
  const dropped: OrderBooks[] = [];
  for (const [i, batch] of BATCHES.entries()) {
    const stop = stops.get(i);
    if (stop === 'close') await books.close();
    if (stop === 'crash') dropped.push(books);
    if (stop === 'close' || stop === 'crash') books = await open();
    now = batch.at(-1)!.data.eventTime + 1;
    if (stop === 'unrecorded') {
      await books.archive.accept(batch.map((item) => ({ ...item, origin: 'exchange' }) as BookRow));
      await books.close();
      books = await open();
    } else {
      await books.consume('test', batch);
    }
    if (i % FLUSH_EVERY === FLUSH_EVERY - 1) await books.flush();
  }
  await books.close();
  const alerts = await ledger.readTypes(0, ['AlertRaised', 'AlertResolved'], 100_000);
  // A crashed process's journal file closes with it: here, after the run.
  for (const b of dropped) await b.archive.close();
  return alerts.map((e) => `${e.type} ${(e.data as { alertId: string }).alertId}`).sort();
};

describe('book detectors across restarts', () => {
  it('raise the same alerts as an uninterrupted run, whether they were closed, dropped (crash) or closed with alerts unrecorded in between', async () => {
    const expected = await run(new Map());
    expect(expected.filter((a) => a.startsWith('AlertRaised spoof.')).length).toBeGreaterThanOrEqual(2);
    expect(expected.filter((a) => a.startsWith('AlertRaised arb.')).length).toBeGreaterThanOrEqual(2);
    expect(expected.filter((a) => a.startsWith('AlertResolved arb.')).length).toBeGreaterThanOrEqual(1);

    const rng = seededRng(testSeed('book signals restart moments'));
    const moments = (n: number): number[] => Array.from({ length: n }, () => 1 + rng.int(BATCHES.length - 1));
    // Many stops (one every few batches: each episode spans several) and a few, each kind alone and mixed.
    for (const stops of [
      new Map(moments(12).map((i) => [i, 'close' as const])),
      new Map(moments(12).map((i) => [i, 'crash' as const])),
      new Map(moments(12).map((i) => [i, 'unrecorded' as const])),
      new Map(moments(6).map((i, k) => [i, (['crash', 'close', 'unrecorded'] as const)[k % 3]!])),
    ]) {
      const got = await run(stops);
      expect(got, `stops ${JSON.stringify([...stops])}`).toEqual(expected);
    }
  }, 120_000);
});
