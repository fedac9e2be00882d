/** The SQLite ledger: the shared contract (tamper evidence included), plus the database's own append-only guard. */
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../../src/adapters/ledger/sqlite/sqliteLedger.js';
import { encodeFramedBlock } from '../../../src/adapters/ledger/blocks/blockCodec.js';
import { LEDGER_TABLES } from '../../../src/adapters/ledger/sqlite/schema.js';
import { createUuidV7Generator } from '../../../src/adapters/system/uuidv7.js';
import { systemClock } from '../../../src/adapters/system/systemClock.js';
import { ledgerContract } from '../../contracts/ledger.contract.js';
import { TEST_LEDGER_SIGNER } from '../../support/ledgerSigner.js';
import { overwriteSqliteEvent, sqliteTampering, tamperSqliteLedger } from '../../support/tamperLedger.js';

const tempDb = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-ledger-'));
  return { file: path.join(dir, 'ledger.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
};

ledgerContract('sqlite', async (clock) => {
  const { file, remove } = tempDb();
  let current = openSqliteLedger({ path: file, clock, signer: TEST_LEDGER_SIGNER });
  return {
    ledger: current,
    reopen: async () => (current = openSqliteLedger({ path: file, clock, signer: TEST_LEDGER_SIGNER })),
    overwriteStored: async (position, field, text) => overwriteSqliteEvent(file, position, field, text),
    tamper: sqliteTampering(file),
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
  it('stores one block per append group, and refuses UPDATE and DELETE of every ledger table in the database itself', async () => {
    const { file, remove } = tempDb();
    const ledger = openSqliteLedger({ path: file, clock: systemClock, signer: TEST_LEDGER_SIGNER });
    // UUIDv7 ids and others, numbered dedup keys and others: every index gets rows.
    const uuids = createUuidV7Generator();
    await ledger.append(Array.from({ length: 256 }, (_, i) => ({ ...event(i), ...(i % 2 === 0 ? { id: uuids.next() } : {}), dedupKey: i % 3 === 0 ? `k/x${i}` : `k/${i}` })));
    await ledger.close();
    const db = new Database(file);
    expect(db.prepare('SELECT first, count FROM blocks').all()).toEqual([{ first: 1, count: 256 }]);
    for (const table of LEDGER_TABLES) {
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBeGreaterThan(0);
      const column = db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().get() as string;
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
    const foreign = { id: 'foreign', type: 'TradeObserved', schemaVersion: 1, stream: 's', streamVersion: 3, dataJson: '{}', metaJson: '{}', dedupKey: null };
    db.prepare('INSERT INTO blocks (first, count, recorded_at, types, body) VALUES (3, 1, 0, ?, ?)').run('TradeObserved', encodeFramedBlock([foreign], Buffer.alloc(4), 3));
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

  it('verify names the first position of a block whose body no longer decodes, after checking the events before it', async () => {
    const { file, remove } = tempDb();
    const ledger = openSqliteLedger({ path: file, clock: systemClock, signer: TEST_LEDGER_SIGNER });
    for (const n of [3, 4, 5]) await ledger.append(Array.from({ length: n }, (_, i) => event(n * 10 + i)));
    tamperSqliteLedger(file, (db) => void db.prepare('UPDATE blocks SET body = ? WHERE first = 4').run(Buffer.from('not a block')));
    expect(await ledger.verify()).toMatchObject({ ok: false, checked: 3, position: 4, reason: expect.stringMatching(/block from position 4: .*malformed/) });
    // An altered event before the bad block is what is named.
    overwriteSqliteEvent(file, 2, 'data', '{"i":1}');
    expect(await ledger.verify()).toMatchObject({ ok: false, position: 2, reason: expect.stringMatching(/leaf hash/) });
    await ledger.close();
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
