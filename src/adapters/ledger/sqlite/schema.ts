/**
 * The embedded ledger's schema: an RFC 6962 transparency log written in blocks.
 *
 * - `blocks`: one row per append group, its events in the compact encoding of blockCodec.ts,
 *   keyed by the position of its first event; `types` lists the event types it holds, so
 *   readTypes skips blocks without them; (recorded_at, first) answers positionRecordedBy.
 * - `id_times`: (millisecond of a UUIDv7 id, block), a few rows per block, for findById;
 *   `dedup_ranges`: per scope and block, the range of numbered dedup keys the block took above
 *   the scope's high-water mark (ranges of a scope never overlap; the last one's hi is the
 *   mark); `event_keys`: (32-bit hash, block) for every other id and dedup key, the exceptions.
 *   Together they find the block of any id or key without a row per event (keyHash.ts,
 *   dedupMarks.ts), and every insert of the common case lands at the end of its index.
 * - `streams` names each stream once (a small integer id); `stream_blocks` says which blocks hold
 *   events of a stream and the stream's version at the end of each: readStream reads only those
 *   blocks, and a stream's current version is its last row.
 * - `tree_tiles`: the root of every complete aligned subtree of 256 leaves and more, and of every
 *   group of 16 (what proofs read, tree/treeGrowth.ts GROUP_LEVEL); the leaves
 *   themselves are not stored, they are recomputed from the events in the blocks.
 * - `checkpoints`: one signed checkpoint per append group.
 *
 * Every table is append-only: triggers make SQLite itself refuse UPDATE and DELETE, so no code
 * path (ours or a stray tool's) can rewrite history unnoticed.
 */
export const LEDGER_TABLES = ['blocks', 'id_times', 'dedup_ranges', 'event_keys', 'streams', 'stream_blocks', 'tree_tiles', 'checkpoints'] as const;

const appendOnly = (table: string): string => `
CREATE TRIGGER IF NOT EXISTS ${table}_no_update BEFORE UPDATE ON ${table}
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: UPDATE is refused'); END;
CREATE TRIGGER IF NOT EXISTS ${table}_no_delete BEFORE DELETE ON ${table}
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: DELETE is refused'); END;`;

export const LEDGER_SCHEMA = `
CREATE TABLE IF NOT EXISTS blocks (
  first       INTEGER PRIMARY KEY,
  count       INTEGER NOT NULL CHECK (count > 0),
  recorded_at INTEGER NOT NULL,
  types       TEXT    NOT NULL,
  body        BLOB    NOT NULL
);
CREATE INDEX IF NOT EXISTS blocks_by_time ON blocks (recorded_at, first);
CREATE TABLE IF NOT EXISTS id_times (
  ms    INTEGER NOT NULL,
  block INTEGER NOT NULL,
  PRIMARY KEY (ms, block)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dedup_ranges (
  scope TEXT    NOT NULL,
  lo    INTEGER NOT NULL,
  hi    INTEGER NOT NULL,
  block INTEGER NOT NULL,
  PRIMARY KEY (scope, lo)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS event_keys (
  hash  INTEGER NOT NULL,
  block INTEGER NOT NULL,
  PRIMARY KEY (hash, block)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS streams (
  id   INTEGER PRIMARY KEY,
  name TEXT    NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS stream_blocks (
  stream  INTEGER NOT NULL,
  block   INTEGER NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (stream, block)
) WITHOUT ROWID;
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
${LEDGER_TABLES.map(appendOnly).join('\n')}
`;

/** The statements the writer thread runs for every block, in its transaction. */
export const WRITER_SQL = {
  storedHead: 'SELECT COALESCE((SELECT first + count - 1 FROM blocks ORDER BY first DESC LIMIT 1), 0)',
  insertBlock: 'INSERT INTO blocks (first, count, recorded_at, types, body) VALUES (?, ?, ?, ?, ?)',
  // Two keys of one block may share a hash: the entry is the same.
  insertKey: 'INSERT OR IGNORE INTO event_keys (hash, block) VALUES (?, ?)',
  insertStream: 'INSERT OR IGNORE INTO streams (name) VALUES (?)',
  streamId: 'SELECT id FROM streams WHERE name = ?',
  insertStreamBlock: 'INSERT INTO stream_blocks (stream, block, version) VALUES (?, ?, ?)',
  insertIdTime: 'INSERT OR IGNORE INTO id_times (ms, block) VALUES (?, ?)',
  insertRange: 'INSERT INTO dedup_ranges (scope, lo, hi, block) VALUES (?, ?, ?, ?)',
  insertTile: 'INSERT INTO tree_tiles (level, idx, hash) VALUES (?, ?, ?)',
  insertCheckpoint: 'INSERT INTO checkpoints (size, root, time, note) VALUES (?, ?, ?, ?)',
} as const;

/** A ledger written by the hash-chain format (before the tree): its events carry prev_hash. */
export const IS_HASH_CHAIN_FORMAT = "SELECT 1 FROM pragma_table_info('events') WHERE name = 'prev_hash'";

/** A ledger written one row per event with a stored leaf hash (the first tree format, before blocks). */
export const IS_EVENT_ROW_FORMAT = "SELECT 1 FROM pragma_table_info('events') WHERE name = 'leaf_hash'";
