/** The SQLite SnapshotStore against the SnapshotStore contract, on a file. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteSnapshotStore } from '../../../src/adapters/snapshot-store/sqlite/sqliteSnapshotStore.js';
import { snapshotStoreContract } from '../../contracts/snapshotStore.contract.js';

snapshotStoreContract('sqlite', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-snapshots-'));
  const file = path.join(dir, 'snapshots.sqlite');
  let current = openSqliteSnapshotStore({ path: file });
  return {
    store: current,
    reopen: async () => {
      await current.close();
      return (current = openSqliteSnapshotStore({ path: file }));
    },
    cleanup: async () => {
      await current.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
