/**
 * The embedded ledger's schema: an RFC 6962 transparency log. `events` holds each event's stored
 * bytes and its leaf hash; `tree_tiles` the root of every complete aligned subtree of 256 leaves
 * and more; `checkpoints` one signed checkpoint per append group. All three are append-only:
 * triggers make SQLite itself refuse UPDATE and DELETE, so no code path (ours or a stray tool's)
 * can rewrite history unnoticed. `streams` keeps each stream's current version, so appends never
 * scan events.
 */
const appendOnly = (table: string): string => `
CREATE TRIGGER IF NOT EXISTS ${table}_no_update BEFORE UPDATE ON ${table}
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: UPDATE is refused'); END;
CREATE TRIGGER IF NOT EXISTS ${table}_no_delete BEFORE DELETE ON ${table}
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: DELETE is refused'); END;`;

export const LEDGER_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position       INTEGER PRIMARY KEY,
  id             TEXT    NOT NULL UNIQUE,
  type           TEXT    NOT NULL,
  schema_version INTEGER NOT NULL,
  stream         TEXT    NOT NULL,
  stream_version INTEGER NOT NULL,
  data           TEXT    NOT NULL,
  meta           TEXT    NOT NULL,
  dedup_key      TEXT    UNIQUE,
  recorded_at    INTEGER NOT NULL,
  leaf_hash      BLOB    NOT NULL CHECK (length(leaf_hash) = 32)
);
CREATE INDEX IF NOT EXISTS events_by_stream ON events (stream, stream_version);
CREATE TABLE IF NOT EXISTS tree_tiles (
  level INTEGER NOT NULL,
  idx   INTEGER NOT NULL,
  hash  BLOB    NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (
  size INTEGER PRIMARY KEY,
  root BLOB    NOT NULL,
  time INTEGER NOT NULL,
  note TEXT    NOT NULL
);
CREATE TABLE IF NOT EXISTS streams (
  stream  TEXT PRIMARY KEY,
  version INTEGER NOT NULL
) WITHOUT ROWID;
${appendOnly('events')}
${appendOnly('tree_tiles')}
${appendOnly('checkpoints')}
`;

export const INSERT_EVENT = `INSERT INTO events
  (position, id, type, schema_version, stream, stream_version, data, meta, dedup_key, recorded_at, leaf_hash)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT(dedup_key) DO NOTHING`;

export const INSERT_TILE = 'INSERT INTO tree_tiles (level, idx, hash) VALUES (?, ?, ?)';

export const INSERT_CHECKPOINT = 'INSERT INTO checkpoints (size, root, time, note) VALUES (?, ?, ?, ?)';

export const UPSERT_STREAM = 'INSERT INTO streams (stream, version) VALUES (?, ?) ON CONFLICT(stream) DO UPDATE SET version = excluded.version';

/** A ledger written by the hash-chain format (before the tree): its events carry prev_hash. */
export const IS_HASH_CHAIN_FORMAT = "SELECT 1 FROM pragma_table_info('events') WHERE name = 'prev_hash'";
