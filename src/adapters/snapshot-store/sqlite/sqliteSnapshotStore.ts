/**
 * The embedded SnapshotStore: one SQLite file in the data dir, one row per snapshot name,
 * replaced by a single-statement upsert (atomic by itself). Durability is relaxed on purpose
 * (WAL + synchronous NORMAL): a snapshot lost to a power cut only means the follower resumes
 * from an older one, or replays the ledger.
 */
import Database from 'better-sqlite3';
import type { SnapshotStore, StoredSnapshot } from '../../../domain/ports.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS snapshots (
  name            TEXT    NOT NULL PRIMARY KEY,
  checkpoint      INTEGER NOT NULL,
  checkpoint_hash TEXT    NOT NULL,
  version         INTEGER NOT NULL,
  state           TEXT    NOT NULL
) STRICT, WITHOUT ROWID;
`;

interface Row {
  readonly checkpoint: number;
  readonly checkpoint_hash: string;
  readonly version: number;
  readonly state: string;
}

export const openSqliteSnapshotStore = (options: { path: string }): SnapshotStore => {
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  const select = db.prepare<[string], Row>('SELECT checkpoint, checkpoint_hash, version, state FROM snapshots WHERE name = ?');
  const upsert = db.prepare(
    `INSERT INTO snapshots (name, checkpoint, checkpoint_hash, version, state) VALUES (@name, @checkpoint, @checkpointHash, @version, @state)
     ON CONFLICT (name) DO UPDATE SET checkpoint = excluded.checkpoint, checkpoint_hash = excluded.checkpoint_hash, version = excluded.version, state = excluded.state`,
  );
  return {
    async load(name) {
      const row = select.get(name);
      return row === undefined ? undefined : { checkpoint: row.checkpoint, checkpointHash: row.checkpoint_hash, version: row.version, state: row.state };
    },
    async save(name, s: StoredSnapshot) {
      upsert.run({ name, checkpoint: s.checkpoint, checkpointHash: s.checkpointHash, version: s.version, state: s.state });
    },
    async close() {
      if (db.open) db.close();
    },
  };
};
