/** The SQLite ledger: the shared contract (tamper evidence included), plus the database's own append-only guard. */
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../../src/adapters/ledger/sqlite/sqliteLedger.js';
import { systemClock } from '../../../src/adapters/system/systemClock.js';
import { INSERT_EVENT } from '../../../src/adapters/ledger/sqlite/schema.js';
import { ledgerContract, type LedgerTampering } from '../../contracts/ledger.contract.js';
import { TEST_LEDGER_SIGNER } from '../../support/ledgerSigner.js';
import { overwriteSqliteEvent } from '../../support/tamperLedger.js';

const tempDb = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-ledger-'));
  return { file: path.join(dir, 'ledger.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
};

/** Writes behind the ledger's back through a connection of its own, dropping the append-only triggers first. */
const tamperingOf = (file: string): LedgerTampering => {
  const tamper = async (change: (db: Database.Database) => void): Promise<void> => {
    const db = new Database(file);
    try {
      for (const table of ['events', 'checkpoints']) db.exec(`DROP TRIGGER IF EXISTS ${table}_no_update; DROP TRIGGER IF EXISTS ${table}_no_delete;`);
      change(db);
    } finally {
      db.close();
    }
  };
  return {
    deleteEventsAfter: (position) => tamper((db) => void db.prepare('DELETE FROM events WHERE position > ?').run(position)),
    swapEvents: (a, b) =>
      tamper((db) => {
        const row = db.prepare<[number], { data: string; leaf_hash: Buffer }>('SELECT data, leaf_hash FROM events WHERE position = ?');
        const [ra, rb] = [row.get(a)!, row.get(b)!];
        const set = db.prepare('UPDATE events SET data = ?, leaf_hash = ? WHERE position = ?');
        set.run(rb.data, rb.leaf_hash, a);
        set.run(ra.data, ra.leaf_hash, b);
      }),
    replaceCheckpointNote: (size, note) => tamper((db) => void db.prepare('UPDATE checkpoints SET note = ? WHERE size = ?').run(note, size)),
  };
};

ledgerContract('sqlite', async (clock) => {
  const { file, remove } = tempDb();
  let current = openSqliteLedger({ path: file, clock, signer: TEST_LEDGER_SIGNER });
  return {
    ledger: current,
    reopen: async () => (current = openSqliteLedger({ path: file, clock, signer: TEST_LEDGER_SIGNER })),
    overwriteStored: async (position, field, text) => overwriteSqliteEvent(file, position, field, text),
    tamper: tamperingOf(file),
    cleanup: async () => {
      await current.close();
      remove();
    },
  };
});

const event = (i: number) => ({
  id: `id-${i}`,
  type: 'TradeObserved',
  schemaVersion: 1,
  stream: 's',
  data: { i },
  meta: { actor: 'a', correlationId: 'c', causationId: null, source: 't' },
});

describe('sqlite ledger storage', () => {
  it('refuses UPDATE and DELETE of events, tiles and checkpoints in the database itself', async () => {
    const { file, remove } = tempDb();
    const ledger = openSqliteLedger({ path: file, clock: systemClock, signer: TEST_LEDGER_SIGNER });
    await ledger.append(Array.from({ length: 256 }, (_, i) => event(i)));
    await ledger.close();
    const db = new Database(file);
    for (const [table, column] of [['events', 'data'], ['tree_tiles', 'hash'], ['checkpoints', 'note']] as const) {
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(table === 'events' ? 256 : 1);
      expect(() => db.prepare(`UPDATE ${table} SET ${column} = ${column}`).run()).toThrow(/append-only/);
      expect(() => db.prepare(`DELETE FROM ${table}`).run()).toThrow(/append-only/);
    }
    db.close();
    remove();
  });

  it('a refused write fails its callers with the reason; a tree that no longer ends at its checkpoint is never extended', async () => {
    const { file, remove } = tempDb();
    const ledger = openSqliteLedger({ path: file, clock: systemClock, signer: TEST_LEDGER_SIGNER });
    await ledger.append([event(1), event(2)]);
    // Another writer (never supported, but possible on a shared file) takes position 3 behind our back, unsigned.
    const db = new Database(file);
    db.prepare(INSERT_EVENT).run(3, 'foreign', 'TradeObserved', 1, 's', 3, '{}', '{}', null, 0, Buffer.alloc(32));
    db.close();
    await expect(ledger.append([event(3)])).rejects.toThrow(/stored head is 3/);
    await expect(ledger.append([event(4)])).rejects.toThrow(/stores 3 events but its last checkpoint is of 2.*tickvault verify/);
    expect((await ledger.read(0, 10)).map((e) => e.id)).toEqual(['id-1', 'id-2', 'foreign']);
    expect(await ledger.verify()).toMatchObject({ ok: false, position: 3 });
    await ledger.close();
    // Reopened, it still reads and proves what it holds, and still refuses to extend it.
    const reopened = openSqliteLedger({ path: file, clock: systemClock, signer: TEST_LEDGER_SIGNER });
    expect((await reopened.inclusionProof(2)).checkpoint.size).toBe(2);
    await expect(reopened.append([event(5)])).rejects.toThrow(/cannot be extended/);
    await reopened.close();
    remove();
  });

  it('a :memory: ledger works like a file one and leaves nothing behind', async () => {
    const before = readdirSync(os.tmpdir()).filter((f) => f.startsWith('tickvault-ledger-')).length;
    const ledger = openSqliteLedger({ path: ':memory:', clock: systemClock, signer: TEST_LEDGER_SIGNER });
    await ledger.append([event(1), event(2)]);
    expect((await ledger.read(0, 10)).map((e) => e.id)).toEqual(['id-1', 'id-2']);
    expect((await ledger.verify()).ok).toBe(true);
    await ledger.close();
    expect(readdirSync(os.tmpdir()).filter((f) => f.startsWith('tickvault-ledger-')).length).toBe(before);
  });
});
