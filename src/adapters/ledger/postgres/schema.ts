/**
 * The PostgreSQL ledger's schema: an RFC 6962 transparency log written in blocks, the same layout
 * as the embedded ledger (sqlite/schema.ts) in PostgreSQL's types.
 *
 * - `blocks`: one row per append group, its events in the compact encoding of blocks/blockCodec.ts
 *   (bytea, already deflated: stored EXTERNAL so PostgreSQL does not try to compress it again);
 *   `types` lists the event types it holds, so readTypes fetches only blocks holding them;
 *   (recorded_at, first) answers positionRecordedBy.
 * - `id_times`, `dedup_ranges`, `event_keys`: find the block of any id or dedup key without a row
 *   per event (blocks/keyHash.ts, blocks/dedupMarks.ts); the last range of a scope holds its
 *   high-water mark, which an append reads under the head lock.
 * - `streams` names each stream once; `stream_blocks` says which blocks hold events of a stream
 *   and its version at the end of each (a stream's current version is its last row).
 * - `tree_tiles`: the root of every complete aligned subtree of 256 leaves and more, and of every
 *   group of 16 (what proofs read; leaves are recomputed from the blocks); `checkpoints`: one signed checkpoint per append group.
 * - `head`: a single row with the tree's size, root and right edge (frontier). Every append locks
 *   it FOR UPDATE, which serialises appends across all processes, and checks that the tree it
 *   extends is the one there.
 *
 * Triggers make the database itself refuse UPDATE, DELETE and TRUNCATE on every table; the head
 * row alone may be updated, and only forward to a size whose signed checkpoint has its root.
 */
import { EMPTY_ROOT } from '../merkle/rfc6962.js';

/** SQLSTATE raised by append_block when the head is not where the block was sealed to continue. */
export const HEAD_MOVED = 'TV001';

/** Every table of the ledger, all append-only (`head` moves forward only). */
export const LEDGER_TABLES = ['blocks', 'id_times', 'dedup_ranges', 'event_keys', 'streams', 'stream_blocks', 'tree_tiles', 'checkpoints', 'head'] as const;

/** The name of the trigger that refuses UPDATE and DELETE on `table` (tests disable it to tamper). */
export const changeGuardOf = (table: string): string => `${table}_no_update_or_delete`;

const appendOnly = (table: string): string => `
CREATE OR REPLACE TRIGGER ${changeGuardOf(table)} BEFORE UPDATE OR DELETE ON ${table}
  FOR EACH ROW EXECUTE FUNCTION ${table === 'head' ? 'refuse_head_change' : 'refuse_ledger_change'}();
CREATE OR REPLACE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();`;

const eventsColumn = (column: string): string =>
  `SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'events' AND column_name = '${column}'`;

/** A schema written by the hash-chain format (before the tree): its events carry prev_hash. */
export const IS_HASH_CHAIN_FORMAT = eventsColumn('prev_hash');

/** A schema written one row per event with a stored leaf hash (the first tree format, before blocks). */
export const IS_EVENT_ROW_FORMAT = eventsColumn('leaf_hash');

export const ledgerSchema = (schema: string): string => `
CREATE SCHEMA IF NOT EXISTS "${schema}";
SET LOCAL search_path TO "${schema}";
CREATE TABLE IF NOT EXISTS blocks (
  first       BIGINT  PRIMARY KEY,
  count       INTEGER NOT NULL CHECK (count > 0),
  recorded_at BIGINT  NOT NULL,
  types       TEXT[]  NOT NULL,
  body        BYTEA   NOT NULL
);
DO $$ BEGIN
  IF (SELECT attstorage FROM pg_attribute WHERE attrelid = 'blocks'::regclass AND attname = 'body') <> 'e' THEN
    ALTER TABLE blocks ALTER COLUMN body SET STORAGE EXTERNAL;
  END IF;
END $$;
CREATE INDEX IF NOT EXISTS blocks_by_time ON blocks (recorded_at, first);
CREATE TABLE IF NOT EXISTS id_times (
  ms    BIGINT NOT NULL,
  block BIGINT NOT NULL,
  PRIMARY KEY (ms, block)
);
CREATE TABLE IF NOT EXISTS dedup_ranges (
  scope TEXT   NOT NULL,
  lo    BIGINT NOT NULL,
  hi    BIGINT NOT NULL,
  block BIGINT NOT NULL,
  PRIMARY KEY (scope, lo)
);
CREATE TABLE IF NOT EXISTS event_keys (
  hash  INTEGER NOT NULL,
  block BIGINT  NOT NULL,
  PRIMARY KEY (hash, block)
);
CREATE TABLE IF NOT EXISTS streams (
  id   INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name TEXT    NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS stream_blocks (
  stream  INTEGER NOT NULL,
  block   BIGINT  NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (stream, block)
);
CREATE TABLE IF NOT EXISTS tree_tiles (
  level INTEGER NOT NULL,
  idx   BIGINT  NOT NULL,
  hash  BYTEA   NOT NULL,
  PRIMARY KEY (level, idx)
);
CREATE TABLE IF NOT EXISTS checkpoints (
  size BIGINT PRIMARY KEY,
  root BYTEA  NOT NULL,
  time BIGINT NOT NULL,
  note TEXT   NOT NULL
);
CREATE TABLE IF NOT EXISTS head (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  position    BIGINT  NOT NULL,
  root        BYTEA   NOT NULL,
  frontier    BYTEA   NOT NULL,
  recorded_at BIGINT  NOT NULL
);
INSERT INTO head (id, position, root, frontier, recorded_at) VALUES (1, 0, '\\x${EMPTY_ROOT.toString('hex')}', '\\x', 0) ON CONFLICT (id) DO NOTHING;
CREATE OR REPLACE FUNCTION refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only: % is refused', TG_OP;
END $$;
CREATE OR REPLACE FUNCTION refuse_head_change() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.position > OLD.position
     AND EXISTS (SELECT 1 FROM checkpoints WHERE size = NEW.position AND root = NEW.root) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the ledger is append-only: % of its head is refused (it only moves forward, to a signed checkpoint)', TG_OP;
END $$;
${LEDGER_TABLES.map(appendOnly).join('\n')}
CREATE OR REPLACE FUNCTION append_block(
  after_position BIGINT, after_root TEXT, new_position BIGINT, new_root TEXT, new_frontier BYTEA, new_recorded_at BIGINT,
  block_count INT, block_types TEXT[], block_body BYTEA, id_ms BIGINT[], key_hashes INT[],
  stream_names TEXT[], stream_versions INT[], range_scopes TEXT[], range_los BIGINT[], range_his BIGINT[],
  tile_levels INT[], tile_idxs BIGINT[], tile_hashes TEXT[], checkpoint_note TEXT
) RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  current_position BIGINT;
  current_root BYTEA;
  first_position BIGINT := after_position + 1;
BEGIN
  SELECT position, root INTO current_position, current_root FROM head WHERE id = 1 FOR UPDATE;
  -- Equal size and root mean the same tree: the block extends exactly the tree it was sealed on.
  IF current_position <> after_position OR current_root <> decode(after_root, 'hex') THEN
    RAISE EXCEPTION 'the ledger head is at % (%), not at % (%) as this block was sealed for', current_position, encode(current_root, 'hex'), after_position, after_root
      USING ERRCODE = '${HEAD_MOVED}';
  END IF;
  IF new_position <> after_position + block_count THEN
    RAISE EXCEPTION 'a block of % events cannot move the head from % to %', block_count, after_position, new_position;
  END IF;
  INSERT INTO blocks (first, count, recorded_at, types, body) VALUES (first_position, block_count, new_recorded_at, block_types, block_body);
  INSERT INTO id_times (ms, block) SELECT DISTINCT ms, first_position FROM UNNEST(id_ms) AS u(ms);
  -- Two keys of one block may share a hash: the entry is the same.
  INSERT INTO event_keys (hash, block) SELECT DISTINCT h, first_position FROM UNNEST(key_hashes) AS u(h);
  INSERT INTO dedup_ranges (scope, lo, hi, block) SELECT s, l, h, first_position FROM UNNEST(range_scopes, range_los, range_his) AS u(s, l, h);
  -- Appends hold the head lock: no other writer adds a stream meanwhile.
  INSERT INTO streams (name) SELECT n FROM UNNEST(stream_names) AS u(n) WHERE NOT EXISTS (SELECT 1 FROM streams WHERE name = n);
  INSERT INTO stream_blocks (stream, block, version)
    SELECT s.id, first_position, v FROM UNNEST(stream_names, stream_versions) AS u(n, v) JOIN streams s ON s.name = u.n;
  INSERT INTO tree_tiles (level, idx, hash) SELECT l, x, decode(h, 'hex') FROM UNNEST(tile_levels, tile_idxs, tile_hashes) AS u(l, x, h);
  INSERT INTO checkpoints (size, root, time, note) VALUES (new_position, decode(new_root, 'hex'), new_recorded_at, checkpoint_note);
  UPDATE head SET position = new_position, root = decode(new_root, 'hex'), frontier = new_frontier, recorded_at = new_recorded_at WHERE id = 1;
END $$;
`;

/**
 * Stores one sealed block: locks the head, checks it is still the tree the block was sealed
 * against, inserts the block, its index rows, the tiles it completes and its signed checkpoint,
 * and moves the head, all in one statement (one round trip; in autocommit it is its own transaction).
 */
export const APPEND_BLOCK = `SELECT append_block(${Array.from({ length: 20 }, (_, i) => `$${i + 1}`).join(', ')})`;

/** Current version of each of the named streams ($1 text[]) that has events. */
export const STREAM_VERSIONS = `SELECT s.name AS stream, v.version FROM streams s
  CROSS JOIN LATERAL (SELECT version FROM stream_blocks WHERE stream = s.id ORDER BY block DESC LIMIT 1) v
  WHERE s.name = ANY($1::text[])`;

/** High-water mark of each of the named dedup scopes ($1 text[]) that has one. */
export const SCOPE_MARKS = `SELECT u.scope, r.hi FROM UNNEST($1::text[]) AS u(scope)
  CROSS JOIN LATERAL (SELECT hi FROM dedup_ranges WHERE scope = u.scope ORDER BY lo DESC LIMIT 1) r`;

/**
 * The blocks that may hold any of some dedup keys: by their hash ($1 int[]), and for numbered
 * keys ($2 scopes, $3 numbers) by the one range of their scope that may cover them.
 */
export const BLOCKS_FOR_KEYS = `SELECT block FROM event_keys WHERE hash = ANY($1::int[])
  UNION SELECT r.block FROM UNNEST($2::text[], $3::bigint[]) AS u(scope, n)
    CROSS JOIN LATERAL (SELECT block, hi FROM dedup_ranges WHERE scope = u.scope AND lo <= u.n ORDER BY lo DESC LIMIT 1) r
    WHERE r.hi >= u.n`;
