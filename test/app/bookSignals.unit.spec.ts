/**
 * The book signals read their rules from the ledger: a rule registered or retired after they
 * started takes effect at the next read (at most one a second by the clock), and the alerts they
 * record name the rule that raised them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../src/adapters/ledger/sqlite/sqliteLedger.js';
import { generateBookScenario } from '../../src/adapters/sources/simulator/bookGenerator.js';
import { createUuidV7Generator } from '../../src/adapters/system/uuidv7.js';
import { RULES_REFRESH_MS, watchBookSignals } from '../../src/app/bookSignals.js';
import { openSqliteSnapshotStore } from '../../src/adapters/snapshot-store/sqlite/sqliteSnapshotStore.js';
import { silentLog } from '../../src/projections/alerts/foldSnapshots.js';
import { registerAlertRule } from '../../src/commands/registerAlertRule.js';
import { retireAlertRule } from '../../src/commands/retireAlertRule.js';
import type { BookRow } from '../../src/domain/orderbook/archive/bookRow.js';
import { OrderBook } from '../../src/domain/orderbook/orderBook.js';
import type { Ledger } from '../../src/domain/ports.js';
import type { ArchivedBook, BookArchive } from '../../src/projections/orderbook/bookArchive.js';
import { TEST_LEDGER_SIGNER } from '../support/ledgerSigner.js';

const T0 = Date.UTC(2024, 0, 1);
const origin = { actor: 'test', correlationId: 'c', source: 'test' };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An archive that only hands rows to its listener, with the book after each: all the signals use. */
const rowsArchive = () => {
  let listener: ((row: BookRow, book: ArchivedBook) => void) | undefined;
  const archive = {
    onRow: (l: typeof listener) => {
      listener = l;
      return () => undefined;
    },
    book: () => undefined,
  } as unknown as BookArchive;
  /** One injected spoofing episode on okx BTC-USDT from `start`. */
  const play = (start: number): void => {
    const book = new OrderBook('okx', 'BTC-USDT');
    for (const item of generateBookScenario({ seed: 5, exchange: 'okx', symbol: 'BTC-USDT', start, durationMs: 180_000, stepMs: 100, episodes: 1, rounds: 4 }).items) {
      const row = { ...item, origin: 'exchange' } as BookRow;
      if (row.kind === 'bookSnapshot') book.replace(row.data.bids, row.data.asks);
      else book.change(row.data.bids, row.data.asks);
      listener!(row, { levels: book } as ArchivedBook);
    }
  };
  return { archive, play };
};

const raisedRules = async (ledger: Ledger): Promise<string[]> => (await ledger.readTypes(0, ['AlertRaised'], 1_000)).map((e) => (e.data as { ruleId: string }).ruleId);

describe('book signals over the ledger rules', () => {
  it('a rule registered or retired later takes effect at the next read of the rules', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-book-signals-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    let now = T0;
    const clock = { now: () => now };
    const ledger = openSqliteLedger({ path: path.join(dir, 'ledger.sqlite'), clock, signer: TEST_LEDGER_SIGNER });
    cleanups.push(() => ledger.close());
    const deps = { ledger, clock, ids: createUuidV7Generator(clock) };
    await registerAlertRule(deps, { ruleId: 'first', detector: 'spoofing', symbols: '*', severity: 'warning' }, origin);
    const { archive, play } = rowsArchive();
    const snapshots = openSqliteSnapshotStore({ path: path.join(dir, 'snapshots.sqlite') });
    cleanups.push(() => snapshots.close());
    const signals = watchBookSignals(archive, { ...deps, snapshots, log: silentLog });

    await signals.refreshRules();
    play(T0);
    await signals.record();
    expect(new Set(await raisedRules(ledger))).toEqual(new Set(['first']));

    await retireAlertRule(deps, 'first', 'test', origin);
    await registerAlertRule(deps, { ruleId: 'second', detector: 'spoofing', symbols: ['BTC-USDT'], severity: 'critical' }, origin);
    now += RULES_REFRESH_MS;
    await signals.refreshRules();
    const before = (await raisedRules(ledger)).length;
    play(T0 + 3_600_000);
    await signals.record();
    const later = (await raisedRules(ledger)).slice(before);
    expect(later.length).toBeGreaterThanOrEqual(1);
    expect(new Set(later)).toEqual(new Set(['second']));
  });
});
