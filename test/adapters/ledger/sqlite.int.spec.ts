/** The SQLite ledger: the shared contract, plus tamper evidence and the database's own append-only guard. */
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../../src/adapters/ledger/sqlite/sqliteLedger.js';
import { systemClock } from '../../../src/adapters/system/systemClock.js';
import { INSERT_EVENT } from '../../../src/adapters/ledger/sqlite/schema.js';
import { ledgerContract } from '../../contracts/ledger.contract.js';
import { overwriteSqliteEvent } from '../../support/tamperLedger.js';

const tempDb = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-ledger-'));
  return { file: path.join(dir, 'ledger.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
};

ledgerContract('sqlite', async (clock) => {
  const { file, remove } = tempDb();
  let current = openSqliteLedger({ path: file, clock });
  return {
    ledger: current,
    reopen: async () => (current = openSqliteLedger({ path: file, clock })),
    overwriteStored: async (position, field, text) => overwriteSqliteEvent(file, position, field, text),
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
  it('refuses UPDATE and DELETE in the database itself', async () => {
    const { file, remove } = tempDb();
    const ledger = openSqliteLedger({ path: file, clock: systemClock });
    await ledger.append([event(1)]);
    await ledger.close();
    const db = new Database(file);
    expect(() => db.prepare("UPDATE events SET data = '{}'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    db.close();
    remove();
  });

  it('verify names exactly the first tampered position', async () => {
    const { file, remove } = tempDb();
    const ledger = openSqliteLedger({ path: file, clock: systemClock });
    await ledger.append(Array.from({ length: 50 }, (_, i) => event(i)));
    await ledger.close();
    overwriteSqliteEvent(file, 17, 'data', '{"i":999}');
    const reopened = openSqliteLedger({ path: file, clock: systemClock });
    const result = await reopened.verify();
    expect(result).toMatchObject({ ok: false, position: 17, checked: 16 });
    await reopened.close();
    remove();
  });

  it('verify names a re-hashed row by the broken link after it', async () => {
    const { file, remove } = tempDb();
    const ledger = openSqliteLedger({ path: file, clock: systemClock });
    await ledger.append(Array.from({ length: 10 }, (_, i) => event(i)));
    await ledger.close();
    const db = new Database(file);
    db.exec('DROP TRIGGER events_no_update');
    db.prepare(`UPDATE events SET hash = '${'f'.repeat(64)}' WHERE position = 4`).run();
    db.close();
    const reopened = openSqliteLedger({ path: file, clock: systemClock });
    expect(await reopened.verify()).toMatchObject({ ok: false, position: 4 });
    await reopened.close();
    remove();
  });

  it('a refused write fails its callers with the reason, and the ledger carries on from what is stored', async () => {
    const { file, remove } = tempDb();
    const ledger = openSqliteLedger({ path: file, clock: systemClock });
    await ledger.append([event(1), event(2)]);
    // Another writer (never supported, but possible on a shared file) takes position 3 behind our back.
    const db = new Database(file);
    db.prepare(INSERT_EVENT).run(3, 'foreign', 'TradeObserved', 1, 's', 3, '{}', '{}', null, 0, 'x', 'y');
    db.close();
    await expect(ledger.append([event(3)])).rejects.toThrow(/stored head is 3/);
    const next = await ledger.append([event(4)]);
    expect(next.appended.map((e) => e.position)).toEqual([4]);
    expect((await ledger.read(0, 10)).map((e) => e.id)).toEqual(['id-1', 'id-2', 'foreign', 'id-4']);
    await ledger.close();
    remove();
  });

  it('a :memory: ledger works like a file one and leaves nothing behind', async () => {
    const before = readdirSync(os.tmpdir()).filter((f) => f.startsWith('tickvault-ledger-')).length;
    const ledger = openSqliteLedger({ path: ':memory:', clock: systemClock });
    await ledger.append([event(1), event(2)]);
    expect((await ledger.read(0, 10)).map((e) => e.id)).toEqual(['id-1', 'id-2']);
    expect((await ledger.verify()).ok).toBe(true);
    await ledger.close();
    expect(readdirSync(os.tmpdir()).filter((f) => f.startsWith('tickvault-ledger-')).length).toBe(before);
  });
});
