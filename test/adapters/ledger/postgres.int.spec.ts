/** The PostgreSQL ledger: the shared contract on the real server, plus the database's own guards and several writers. */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresLedger } from '../../../src/adapters/ledger/postgres/postgresLedger.js';
import { systemClock } from '../../../src/adapters/system/systemClock.js';
import type { Ledger } from '../../../src/domain/ports.js';
import { isExpectedVersionConflictError } from '../../../src/domain/errors.js';
import { ledgerContract, type LedgerTampering } from '../../contracts/ledger.contract.js';
import { requireStack } from '../../support/stack.js';
import { overwritePostgresEvent } from '../../support/tamperLedger.js';
import { TEST_LEDGER_SIGNER } from '../../support/ledgerSigner.js';

const postgres = requireStack('postgres');

let schemaNo = 0;
const freshSchema = (): string => `tv_test_${process.pid}_${Date.now().toString(36)}_${schemaNo++}`;

const admin = (): pg.Client => new pg.Client({ connectionString: postgres.endpoint().url });

const dropSchema = async (schema: string): Promise<void> => {
  const c = admin();
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await c.end();
};

const event = (i: number, stream = 's') => ({
  id: `id-${i}`,
  type: 'TradeObserved',
  schemaVersion: 1,
  stream,
  data: { i },
  meta: { actor: 'a', correlationId: 'c', causationId: null, source: 't' },
  dedupKey: `k-${i}`,
});

/** Writes behind the ledger's back as the schema's owner, with the append-only triggers disabled. */
const tamperingOf = (schema: string): LedgerTampering => {
  const tamper = async (...statements: Array<[string, unknown[]]>): Promise<void> => {
    const c = admin();
    await c.connect();
    try {
      for (const table of ['events', 'checkpoints']) await c.query(`ALTER TABLE "${schema}".${table} DISABLE TRIGGER ${table}_no_update_or_delete`);
      for (const [sql, params] of statements) await c.query(sql, params);
    } finally {
      await c.end();
    }
  };
  const events = `"${schema}".events`;
  return {
    deleteEventsAfter: (position) => tamper([`DELETE FROM ${events} WHERE position > $1`, [position]]),
    swapEvents: (a, b) =>
      tamper([
        `UPDATE ${events} e SET data = o.data, leaf_hash = o.leaf_hash FROM ${events} o WHERE (e.position, o.position) IN (($1, $2), ($2, $1))`,
        [a, b],
      ]),
    replaceCheckpointNote: (size, note) => tamper([`UPDATE "${schema}".checkpoints SET note = $1 WHERE size = $2`, [note, size]]),
  };
};

describe.skipIf(postgres.skip)('postgres ledger', () => {
  ledgerContract('postgres', async (clock) => {
    const schema = freshSchema();
    let current = await openPostgresLedger({ url: postgres.endpoint().url, schema, clock, pollMs: 20, signer: TEST_LEDGER_SIGNER });
    return {
      ledger: current,
      reopen: async () => (current = await openPostgresLedger({ url: postgres.endpoint().url, schema, clock, pollMs: 20, signer: TEST_LEDGER_SIGNER })),
      overwriteStored: (position, field, text) => overwritePostgresEvent(postgres.endpoint().url, schema, position, field, text),
      tamper: tamperingOf(schema),
      cleanup: async () => {
        await current.close();
        await dropSchema(schema);
      },
    };
  });

  const schemas: string[] = [];
  const openFresh = async (schema = freshSchema()): Promise<Ledger> => {
    if (!schemas.includes(schema)) schemas.push(schema);
    return openPostgresLedger({ url: postgres.endpoint().url, schema, clock: systemClock, pollMs: 20, signer: TEST_LEDGER_SIGNER });
  };
  afterAll(async () => {
    for (const s of schemas) await dropSchema(s);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of events, tiles and checkpoints in the database itself', async () => {
    const schema = freshSchema();
    const ledger = await openFresh(schema);
    await ledger.append(Array.from({ length: 256 }, (_, i) => event(i)));
    await ledger.close();
    const c = admin();
    await c.connect();
    try {
      for (const [table, column] of [['events', 'data'], ['tree_tiles', 'hash'], ['checkpoints', 'note']]) {
        for (const sql of [`UPDATE "${schema}".${table} SET ${column} = ${column}`, `DELETE FROM "${schema}".${table}`, `TRUNCATE "${schema}".${table}`]) {
          await expect(c.query(sql)).rejects.toThrow(/append-only/);
        }
      }
      expect((await c.query(`SELECT count(*)::int AS n FROM "${schema}".events`)).rows[0].n).toBe(256);
    } finally {
      await c.end();
    }
  });

  it('two processes appending to one ledger get one gapless tree, and each sees the other’s events', async () => {
    const schema = freshSchema();
    const [a, b] = [await openFresh(schema), await openFresh(schema)];
    const seenByB: number[] = [];
    const sub = b.subscribe(0, (events) => void seenByB.push(...events.map((e) => e.position)));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).append([event(1_000 + i * 2, `s${i % 3}`), event(1_001 + i * 2, `s${i % 3}`)])),
    );
    await a.append([event(1_000)]); // a duplicate dedup key written by the other process
    const head = await a.head();
    expect(head.position).toBe(40);
    expect(await b.verify()).toMatchObject({ ok: true, checked: 40 });
    const deadline = Date.now() + 10_000;
    while (seenByB.length < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(seenByB).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    await sub.stop();
    await Promise.all([a.close(), b.close()]);
  });

  it('a process decides against what another one committed meanwhile: expected versions, dedup keys and the tree', async () => {
    const schema = freshSchema();
    const [a, b] = [await openFresh(schema), await openFresh(schema)];
    await a.append([event(1, 'x')]);
    await b.append([event(2, 'x')]); // x moves to version 2 behind a's back
    await expect(a.append([event(3, 'x')], { expected: { x: 1 } })).rejects.toSatisfy(isExpectedVersionConflictError);
    expect((await a.append([event(3, 'x')], { expected: { x: 2 } })).appended[0]).toMatchObject({ position: 3, streamVersion: 3 });
    await b.append([event(4, 'y')]);
    const r = await a.append([event(4, 'y'), event(5, 'y')]); // k-4 is stored, by b
    expect(r.duplicates.map((e) => e.dedupKey)).toEqual(['k-4']);
    expect(r.appended.map((e) => [e.position, e.streamVersion])).toEqual([[5, 2]]);
    expect(await b.verify()).toMatchObject({ ok: true, checked: 5 });
    await Promise.all([a.close(), b.close()]);
  });

  it('a group the database refuses leaves no hole under the groups sent after it', async () => {
    const ledger = await openFresh();
    await ledger.append([event(1)]);
    // Same event id as position 1 under a new dedup key: refused by the id's unique index.
    const clash = { ...event(2), id: 'id-1' };
    const tick = () => new Promise((r) => setImmediate(r));
    // Three groups, each sent before the one ahead of it is answered.
    const first = ledger.append([event(3)]);
    await tick();
    const refused = ledger.append([clash]);
    await tick();
    const third = ledger.append([event(4)]);
    const results = await Promise.allSettled([first, refused, third]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await third).appended[0]?.position).toBe(3);
    expect((await ledger.append([event(5)])).head).toBe(4);
    expect(await ledger.verify()).toMatchObject({ ok: true, checked: 4 });
    await ledger.close();
  });
});
