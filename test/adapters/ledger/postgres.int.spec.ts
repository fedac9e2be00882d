/** The PostgreSQL ledger: the shared contract on the real server, plus the database's own guards and several writers. */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresLedger } from '../../../src/adapters/ledger/postgres/postgresLedger.js';
import { systemClock } from '../../../src/adapters/system/systemClock.js';
import type { Ledger } from '../../../src/domain/ports.js';
import { isExpectedVersionConflictError } from '../../../src/domain/errors.js';
import { ledgerContract } from '../../contracts/ledger.contract.js';
import { requireStack } from '../../support/stack.js';
import { overwritePostgresEvent, postgresTampering } from '../../support/tamperLedger.js';
import { LEDGER_TABLES } from '../../../src/adapters/ledger/postgres/schema.js';
import { createUuidV7Generator } from '../../../src/adapters/system/uuidv7.js';
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

describe.skipIf(postgres.skip)('postgres ledger', () => {
  ledgerContract('postgres', async (clock) => {
    const schema = freshSchema();
    let current = await openPostgresLedger({ url: postgres.endpoint().url, schema, clock, pollMs: 20, signer: TEST_LEDGER_SIGNER });
    return {
      ledger: current,
      reopen: async () => (current = await openPostgresLedger({ url: postgres.endpoint().url, schema, clock, pollMs: 20, signer: TEST_LEDGER_SIGNER })),
      overwriteStored: (position, field, text) => overwritePostgresEvent(postgres.endpoint().url, schema, position, field, text),
      tamper: postgresTampering(postgres.endpoint().url, schema),
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

  it('stores one block row per append group, and refuses UPDATE, DELETE and TRUNCATE of every ledger table in the database itself; the head only moves forward to a signed checkpoint', async () => {
    const schema = freshSchema();
    const ledger = await openFresh(schema);
    // UUIDv7 ids and others, numbered dedup keys and others: every index gets rows.
    const uuids = createUuidV7Generator();
    await ledger.append(Array.from({ length: 256 }, (_, i) => ({ ...event(i), ...(i % 2 === 0 ? { id: uuids.next() } : {}), dedupKey: i % 3 === 0 ? `k/x${i}` : `k/${i}` })));
    await ledger.append([event(1_000)]);
    await ledger.close();
    const c = admin();
    await c.connect();
    try {
      expect((await c.query(`SELECT first::int, count FROM "${schema}".blocks ORDER BY first`)).rows).toEqual([{ first: 1, count: 256 }, { first: 257, count: 1 }]);
      for (const table of LEDGER_TABLES) {
        expect((await c.query(`SELECT count(*)::int AS n FROM "${schema}".${table}`)).rows[0].n).toBeGreaterThan(0);
        const column = table === 'head' ? 'id' : (await c.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND is_identity = 'NO' LIMIT 1`, [schema, table])).rows[0].column_name;
        for (const sql of [`UPDATE "${schema}".${table} SET ${column} = ${column}`, `DELETE FROM "${schema}".${table}`, `TRUNCATE "${schema}".${table} CASCADE`]) {
          await expect(c.query(sql), sql).rejects.toThrow(/append-only/);
        }
      }
      // Back to an earlier signed checkpoint, or forward to an unsigned size: both refused.
      const first = (await c.query(`SELECT root FROM "${schema}".checkpoints WHERE size = 256`)).rows[0].root as Buffer;
      await expect(c.query(`UPDATE "${schema}".head SET position = 256, root = $1`, [first])).rejects.toThrow(/append-only/);
      await expect(c.query(`UPDATE "${schema}".head SET position = 300`)).rejects.toThrow(/append-only/);
    } finally {
      await c.end();
    }
    const reopened = await openFresh(schema);
    expect(await reopened.verify()).toMatchObject({ ok: true, checked: 257 });
    await reopened.close();
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

  it('two processes appending overlapping numbered trade keys store each key exactly once (marks read under the head lock)', async () => {
    const schema = freshSchema();
    const [a, b] = [await openFresh(schema), await openFresh(schema)];
    const trade = (n: number) => ({ ...event(n, `trades/${n % 3}`), id: `t-${n}`, dedupKey: `trade/x/S${n % 3}/${n}` });
    // Each process appends every key, in batches that interleave and go above each other's marks.
    const batches = (from: number) => Array.from({ length: 10 }, (_, i) => Array.from({ length: 30 }, (_, j) => trade(from + ((i * 30 + j) % 300))));
    const results = await Promise.all([
      Promise.all(batches(0).map((batch) => a.append(batch))),
      Promise.all(batches(150).map((batch) => b.append(batch.map((e) => ({ ...e, id: `${e.id}-b` }))))),
    ]);
    const stored = results.flat().flatMap((r) => r.appended.map((e) => e.dedupKey));
    expect([...stored].sort()).toEqual(Array.from({ length: 450 }, (_, n) => trade(n).dedupKey).sort());
    // A key stored by the other process, at and below its marks, is a duplicate here.
    expect((await a.append([trade(449)])).duplicates).toHaveLength(1);
    expect((await b.findByDedupKey('trade/x/S1/1'))?.id).toMatch(/^t-1(-b)?$/);
    expect(await a.verify()).toMatchObject({ ok: true, checked: 450 });
    await Promise.all([a.close(), b.close()]);
  });

  it('a group the database refuses leaves no hole under the groups sent after it', async () => {
    const ledger = await openFresh();
    // Without dedup keys, and on a known stream, a group is sealed with no read of its own, so
    // each of the three groups below is sealed and sent before the one ahead of it is answered.
    const plain = (i: number) => {
      const { dedupKey: _, ...e } = event(i);
      return e;
    };
    await ledger.append([plain(1)]);
    // An event type PostgreSQL text cannot hold (U+0000): refused by the database when its block is stored.
    const clash = { ...plain(2), type: 'Trade\u0000Observed' };
    const tick = () => new Promise((r) => setImmediate(r));
    const first = ledger.append([plain(3)]);
    await tick();
    const refused = ledger.append([clash]);
    await tick();
    const third = ledger.append([plain(4)]);
    const results = await Promise.allSettled([first, refused, third]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await third).appended[0]?.position).toBe(3);
    expect((await ledger.append([plain(5)])).head).toBe(4);
    expect(await ledger.verify()).toMatchObject({ ok: true, checked: 4 });
    await ledger.close();
  });
});
