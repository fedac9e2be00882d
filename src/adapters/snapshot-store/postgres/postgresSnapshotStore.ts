/**
 * The cluster SnapshotStore: a `snapshots` table in the ledger's PostgreSQL schema (so a
 * follower's state lives beside the ledger it was folded from and goes with its schema), one row
 * per name, replaced by a single upsert. Its own small pool: a large snapshot being written never
 * holds up the ledger's appends.
 */
import pg from 'pg';
import type { SnapshotStore } from '../../../domain/ports.js';
import { SCHEMA_LOCK_KEY } from '../../ledger/postgres/postgresLedger.js';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresSnapshotStoreOptions {
  readonly url: string;
  readonly schema: string;
}

export const openPostgresSnapshotStore = async (options: PostgresSnapshotStoreOptions): Promise<SnapshotStore> => {
  if (!SCHEMA_NAME.test(options.schema)) throw new Error(`snapshot store schema "${options.schema}": use lower-case letters, digits and _ (at most 63)`);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: 2,
    connectionTimeoutMillis: 10_000,
    statement_timeout: 60_000,
    options: `-c search_path="${options.schema}"`,
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const setup = await pool.connect().catch(async (e: unknown) => {
    await pool.end();
    throw e;
  });
  try {
    // Under the ledger's schema lock: CREATE ... IF NOT EXISTS races when processes start together.
    await setup.query('BEGIN');
    await setup.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
    await setup.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    await setup.query(`CREATE TABLE IF NOT EXISTS snapshots (
      name            text    PRIMARY KEY,
      checkpoint      bigint  NOT NULL,
      checkpoint_hash text    NOT NULL,
      version         integer NOT NULL,
      state           text    NOT NULL)`);
    await setup.query('COMMIT');
    setup.release();
  } catch (e) {
    await setup.query('ROLLBACK').catch(() => undefined);
    setup.release();
    await pool.end();
    throw new Error(`cannot create the snapshots table in schema "${options.schema}": ${e instanceof Error ? e.message : String(e)}`);
  }
  return {
    async load(name) {
      const r = await pool.query<{ checkpoint: string; checkpoint_hash: string; version: number; state: string }>('SELECT checkpoint, checkpoint_hash, version, state FROM snapshots WHERE name = $1', [name]);
      const row = r.rows[0];
      return row === undefined ? undefined : { checkpoint: Number(row.checkpoint), checkpointHash: row.checkpoint_hash, version: row.version, state: row.state };
    },
    async save(name, s) {
      await pool.query(
        `INSERT INTO snapshots (name, checkpoint, checkpoint_hash, version, state) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (name) DO UPDATE SET checkpoint = excluded.checkpoint, checkpoint_hash = excluded.checkpoint_hash, version = excluded.version, state = excluded.state`,
        [name, s.checkpoint, s.checkpointHash, s.version, s.state],
      );
    },
    async close() {
      await pool.end();
    },
  };
};
