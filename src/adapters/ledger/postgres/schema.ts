/**
 * The PostgreSQL ledger's schema: an RFC 6962 transparency log. `events` holds each event's
 * stored bytes and its leaf hash; `tree_tiles` the root of every complete aligned subtree of 256
 * leaves and more; `checkpoints` one signed checkpoint per append group. Triggers make the
 * database itself refuse UPDATE, DELETE and TRUNCATE on all three. `head` is a single row holding
 * the tree's size, root and right edge (frontier); every append locks it FOR UPDATE, which
 * serialises appends across all processes, and checks that the tree it extends is the one there.
 * Data and meta are TEXT, not jsonb: the stored bytes are the canonical bytes that were hashed.
 */
import { EMPTY_ROOT } from '../merkle/rfc6962.js';

/** SQLSTATE raised by append_sealed when the head is not where the batch was sealed to continue. */
export const HEAD_MOVED = 'TV001';

const appendOnly = (table: string): string => `
CREATE OR REPLACE TRIGGER ${table}_no_update_or_delete BEFORE UPDATE OR DELETE ON ${table}
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE OR REPLACE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();`;

/** A schema written by the hash-chain format (before the tree): its events carry prev_hash. */
export const IS_HASH_CHAIN_FORMAT = `SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'events' AND column_name = 'prev_hash'`;

export const ledgerSchema = (schema: string): string => `
CREATE SCHEMA IF NOT EXISTS "${schema}";
SET LOCAL search_path TO "${schema}";
CREATE TABLE IF NOT EXISTS events (
  position       BIGINT  PRIMARY KEY,
  id             TEXT    NOT NULL UNIQUE,
  type           TEXT    NOT NULL,
  schema_version INTEGER NOT NULL,
  stream         TEXT    NOT NULL,
  stream_version INTEGER NOT NULL,
  data           TEXT    NOT NULL,
  meta           TEXT    NOT NULL,
  dedup_key      TEXT    UNIQUE,
  recorded_at    BIGINT  NOT NULL,
  leaf_hash      BYTEA   NOT NULL CHECK (length(leaf_hash) = 32)
);
CREATE INDEX IF NOT EXISTS events_by_stream ON events (stream, stream_version);
CREATE INDEX IF NOT EXISTS events_by_recorded_at ON events (recorded_at);
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
CREATE TABLE IF NOT EXISTS streams (
  stream  TEXT    PRIMARY KEY,
  version INTEGER NOT NULL
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
${appendOnly('events')}
${appendOnly('tree_tiles')}
${appendOnly('checkpoints')}
CREATE OR REPLACE FUNCTION append_sealed(
  after_position BIGINT, after_root TEXT, new_position BIGINT, new_root TEXT, new_frontier BYTEA, new_recorded_at BIGINT,
  ids TEXT[], types TEXT[], schema_versions INT[], event_streams TEXT[], event_stream_versions INT[],
  datas TEXT[], metas TEXT[], meta_of INT[], dedup_keys TEXT[], leaf_hashes TEXT[],
  touched_streams TEXT[], touched_versions INT[],
  tile_levels INT[], tile_idxs BIGINT[], tile_hashes TEXT[], checkpoint_note TEXT
) RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  current_position BIGINT;
  current_root BYTEA;
BEGIN
  SELECT position, root INTO current_position, current_root FROM head WHERE id = 1 FOR UPDATE;
  -- Equal size and root mean the same tree: the group extends exactly the tree it was sealed on.
  IF current_position <> after_position OR current_root <> decode(after_root, 'hex') THEN
    RAISE EXCEPTION 'the ledger head is at % (%), not at % (%) as this batch was sealed for', current_position, encode(current_root, 'hex'), after_position, after_root
      USING ERRCODE = '${HEAD_MOVED}';
  END IF;
  IF new_position <> after_position + cardinality(ids) THEN
    RAISE EXCEPTION 'a batch of % events cannot move the head from % to %', cardinality(ids), after_position, new_position;
  END IF;
  -- Positions follow the head: they are not sent.
  INSERT INTO events (position, id, type, schema_version, stream, stream_version, data, meta, dedup_key, recorded_at, leaf_hash)
    SELECT after_position + n, i, t, sv, s, v, d, metas[mi], k, new_recorded_at, decode(h, 'hex')
    FROM UNNEST(ids, types, schema_versions, event_streams, event_stream_versions, datas, meta_of, dedup_keys, leaf_hashes)
      WITH ORDINALITY AS u(i, t, sv, s, v, d, mi, k, h, n);
  INSERT INTO tree_tiles (level, idx, hash) SELECT l, x, decode(h, 'hex') FROM UNNEST(tile_levels, tile_idxs, tile_hashes) AS u(l, x, h);
  INSERT INTO checkpoints (size, root, time, note) VALUES (new_position, decode(new_root, 'hex'), new_recorded_at, checkpoint_note);
  INSERT INTO streams (stream, version) SELECT * FROM UNNEST(touched_streams, touched_versions)
    ON CONFLICT (stream) DO UPDATE SET version = excluded.version;
  UPDATE head SET position = new_position, root = decode(new_root, 'hex'), frontier = new_frontier, recorded_at = new_recorded_at WHERE id = 1;
END $$;
`;

/**
 * Stores one sealed group: locks the head, checks it is still the tree the group was sealed
 * against, inserts the events, the tiles they complete and the group's signed checkpoint, sets
 * the stream versions and moves the head, all in one statement (one round trip; in autocommit it
 * is its own transaction).
 */
export const APPEND_SEALED = `SELECT append_sealed(${Array.from({ length: 22 }, (_, i) => `$${i + 1}`).join(', ')})`;
