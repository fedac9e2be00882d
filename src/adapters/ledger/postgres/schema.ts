/**
 * The PostgreSQL ledger's schema. `events` is append-only: triggers make the database itself
 * refuse UPDATE, DELETE and TRUNCATE. `head` is a single row holding the newest position and
 * hash; every append locks it FOR UPDATE, which serialises appends across all processes.
 * Data and meta are TEXT, not jsonb: the stored bytes are the canonical bytes that were hashed.
 */
import { GENESIS_HASH } from '../../../domain/events/envelope.js';

/** SQLSTATE raised by append_sealed when the head is not where the batch was sealed to continue. */
export const HEAD_MOVED = 'TV001';

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
  prev_hash      TEXT    NOT NULL,
  hash           TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_stream ON events (stream, stream_version);
CREATE INDEX IF NOT EXISTS events_by_recorded_at ON events (recorded_at);
CREATE TABLE IF NOT EXISTS streams (
  stream  TEXT    PRIMARY KEY,
  version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS head (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  position    BIGINT  NOT NULL,
  hash        TEXT    NOT NULL,
  recorded_at BIGINT  NOT NULL
);
INSERT INTO head (id, position, hash, recorded_at) VALUES (1, 0, '${GENESIS_HASH}', 0) ON CONFLICT (id) DO NOTHING;
CREATE OR REPLACE FUNCTION refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only: % is refused', TG_OP;
END $$;
CREATE OR REPLACE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE OR REPLACE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();
CREATE OR REPLACE FUNCTION append_sealed(
  after_position BIGINT, after_hash TEXT, new_position BIGINT, new_hash TEXT, new_recorded_at BIGINT,
  ids TEXT[], types TEXT[], schema_versions INT[], event_streams TEXT[], event_stream_versions INT[],
  datas TEXT[], metas TEXT[], meta_of INT[], dedup_keys TEXT[], hashes TEXT[],
  touched_streams TEXT[], touched_versions INT[]
) RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  current_position BIGINT;
  current_hash TEXT;
BEGIN
  SELECT position, hash INTO current_position, current_hash FROM head WHERE id = 1 FOR UPDATE;
  IF current_position <> after_position OR current_hash <> after_hash THEN
    RAISE EXCEPTION 'the ledger head is at % (%), not at % (%) as this batch was sealed for', current_position, current_hash, after_position, after_hash
      USING ERRCODE = '${HEAD_MOVED}';
  END IF;
  IF new_position <> after_position + cardinality(ids) THEN
    RAISE EXCEPTION 'a batch of % events cannot move the head from % to %', cardinality(ids), after_position, new_position;
  END IF;
  -- Positions follow the head, and each event links to the hash before it: neither is sent.
  INSERT INTO events (position, id, type, schema_version, stream, stream_version, data, meta, dedup_key, recorded_at, prev_hash, hash)
    SELECT after_position + n, i, t, sv, s, v, d, metas[mi], k, new_recorded_at, lag(h, 1, after_hash) OVER (ORDER BY n), h
    FROM UNNEST(ids, types, schema_versions, event_streams, event_stream_versions, datas, meta_of, dedup_keys, hashes)
      WITH ORDINALITY AS u(i, t, sv, s, v, d, mi, k, h, n);
  INSERT INTO streams (stream, version) SELECT * FROM UNNEST(touched_streams, touched_versions)
    ON CONFLICT (stream) DO UPDATE SET version = excluded.version;
  UPDATE head SET position = new_position, hash = new_hash, recorded_at = new_recorded_at WHERE id = 1;
END $$;
`;

/**
 * Stores one sealed group: locks the head, checks it is still the head the group was sealed
 * against, inserts the events, sets the stream versions and moves the head, all in one statement
 * (one round trip; in autocommit it is its own transaction).
 */
export const APPEND_SEALED = 'SELECT append_sealed($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)';


