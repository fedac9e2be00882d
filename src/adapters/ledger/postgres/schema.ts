/**
 * The PostgreSQL ledger's schema. `events` is append-only: triggers make the database itself
 * refuse UPDATE, DELETE and TRUNCATE. `head` is a single row holding the newest position and
 * hash; every append locks it FOR UPDATE, which serialises appends across all processes.
 * Data and meta are TEXT, not jsonb: the stored bytes are the canonical bytes that were hashed.
 */
import { GENESIS_HASH } from '../../../domain/events/envelope.js';

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
`;

/** One statement for a whole group of events: column arrays unnested into rows. */
export const INSERT_EVENTS = `INSERT INTO events
  (position, id, type, schema_version, stream, stream_version, data, meta, dedup_key, recorded_at, prev_hash, hash)
  SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[], $6::int[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::text[], $12::text[])`;

export const UPSERT_STREAMS = `INSERT INTO streams (stream, version)
  SELECT * FROM UNNEST($1::text[], $2::int[])
  ON CONFLICT (stream) DO UPDATE SET version = excluded.version`;
