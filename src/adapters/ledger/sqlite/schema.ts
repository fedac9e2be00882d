/**
 * The embedded ledger's schema. `events` is append-only: triggers make SQLite itself refuse
 * UPDATE and DELETE, so no code path (ours or a stray tool's) can rewrite history unnoticed.
 * `streams` keeps each stream's current version, so appends never scan events.
 */
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
  prev_hash      TEXT    NOT NULL,
  hash           TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_stream ON events (stream, stream_version);
CREATE TABLE IF NOT EXISTS streams (
  stream  TEXT PRIMARY KEY,
  version INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: UPDATE is refused'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: DELETE is refused'); END;
`;

export const INSERT_EVENT = `INSERT INTO events
  (position, id, type, schema_version, stream, stream_version, data, meta, dedup_key, recorded_at, prev_hash, hash)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT(dedup_key) DO NOTHING`;

export const UPSERT_STREAM = 'INSERT INTO streams (stream, version) VALUES (?, ?) ON CONFLICT(stream) DO UPDATE SET version = excluded.version';
