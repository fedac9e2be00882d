/**
 * Writes to a stored ledger event past the database's append-only guard, as anyone with write
 * access to the storage could: the tampering that `verify` exists to catch. The guard is put
 * back afterwards.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { LEDGER_SCHEMA } from '../../src/adapters/ledger/sqlite/schema.js';

export type StoredField = 'data' | 'meta';

/** Overwrites the stored text of `field` of the event at `position` in the SQLite ledger file. */
export const overwriteSqliteEvent = (file: string, position: number, field: StoredField, text: string): void => {
  const db = new Database(file);
  try {
    db.exec('DROP TRIGGER events_no_update');
    db.prepare(`UPDATE events SET ${field} = ? WHERE position = ?`).run(text, position);
    db.exec(LEDGER_SCHEMA); // creates the guard again
  } finally {
    db.close();
  }
};

/** Overwrites the stored text of `field` of the event at `position` in the PostgreSQL ledger in `schema`. */
export const overwritePostgresEvent = async (url: string, schema: string, position: number, field: StoredField, text: string): Promise<void> => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`ALTER TABLE "${schema}".events DISABLE TRIGGER events_no_update_or_delete`);
    await c.query(`UPDATE "${schema}".events SET ${field} = $1 WHERE position = $2`, [text, position]);
    await c.query(`ALTER TABLE "${schema}".events ENABLE TRIGGER events_no_update_or_delete`);
  } finally {
    await c.end();
  }
};
