/** The PostgreSQL SnapshotStore against the SnapshotStore contract, on the real server, a schema per test. */
import pg from 'pg';
import { describe } from 'vitest';
import { openPostgresSnapshotStore } from '../../../src/adapters/snapshot-store/postgres/postgresSnapshotStore.js';
import { snapshotStoreContract } from '../../contracts/snapshotStore.contract.js';
import { uniqueName } from '../../contracts/polling.js';
import { requireStack } from '../../support/stack.js';

const postgres = requireStack('postgres');

describe.skipIf(postgres.skip)('postgres snapshot store', () => {
  snapshotStoreContract('postgres', async () => {
    const url = postgres.endpoint().url;
    const schema = uniqueName('tv_snap').replace(/-/g, '_');
    let current = await openPostgresSnapshotStore({ url, schema });
    return {
      store: current,
      reopen: async () => {
        await current.close();
        return (current = await openPostgresSnapshotStore({ url, schema }));
      },
      cleanup: async () => {
        await current.close();
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await c.end();
      },
    };
  });
});
