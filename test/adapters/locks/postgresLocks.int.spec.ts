/**
 * PostgreSQL advisory locks as the roles' locks, against the real server: one holder per name and
 * scope, a name freed when its holder closes, and a holder told when its session is ended under it
 * (what a network cut or a server restart does), so it stops the work the lock guards.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresLocks } from '../../../src/adapters/locks/postgres/postgresLocks.js';
import type { ExclusiveLocks } from '../../../src/domain/ports.js';
import { eventually, uniqueName } from '../../contracts/polling.js';
import { requireStack } from '../../support/stack.js';

const postgres = requireStack('postgres');

/** The server process holding `scope/name`: advisory locks on a bigint key show as classid (high 32 bits) and objid (low). */
const holderOf = async (url: string, key: string): Promise<number | undefined> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT l.pid FROM pg_locks l, (SELECT hashtextextended($1, 0) AS k) h
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.classid::text::bigint = (h.k >> 32) & 4294967295 AND l.objid::text::bigint = h.k & 4294967295`,
      [key],
    );
    return rows[0]?.pid;
  } finally {
    await client.end();
  }
};

describe.skipIf(postgres.skip)('PostgreSQL role locks', () => {
  const opened: ExclusiveLocks[] = [];
  const open = async (scope: string): Promise<ExclusiveLocks> => {
    const locks = await openPostgresLocks({ url: postgres.endpoint().url, scope });
    opened.push(locks);
    return locks;
  };
  afterEach(async () => {
    for (const l of opened.splice(0)) await l.close();
  });

  it('gives a name to one holder per scope, and to the next once the holder closes', async () => {
    const scope = uniqueName('locks');
    const [a, b, elsewhere] = [await open(scope), await open(scope), await open(`${scope}-other`)];
    expect(await a.tryAcquire('ingest')).toBe(true);
    expect(await a.tryAcquire('ingest')).toBe(true);
    expect(await b.tryAcquire('ingest')).toBe(false);
    expect(await b.tryAcquire('live')).toBe(true);
    expect(await a.tryAcquire('live')).toBe(false);
    expect(await elsewhere.tryAcquire('ingest')).toBe(true);
    await a.close();
    expect(await b.tryAcquire('ingest')).toBe(true);
  });

  it('tells the holder when its session ends under it, and the name is free for another', async () => {
    const scope = uniqueName('locks');
    const [a, b] = [await open(scope), await open(scope)];
    const lost: Error[] = [];
    a.onLost((e) => lost.push(e));
    expect(await a.tryAcquire('relay')).toBe(true);
    const pid = await holderOf(postgres.endpoint().url, `${scope}/relay`);
    expect(pid).toBeDefined();
    const admin = new pg.Client({ connectionString: postgres.endpoint().url });
    await admin.connect();
    try {
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    } finally {
      await admin.end();
    }
    await eventually(() => lost.length === 1, { timeoutMs: 10_000, what: 'the holder to be told its locks are lost' });
    expect(lost[0]!.message).toMatch(/the connection holding the locks (failed|ended)/);
    expect(await b.tryAcquire('relay')).toBe(true);
    await expect(a.tryAcquire('relay')).rejects.toThrow(/the connection holding the locks/);
  });
});
