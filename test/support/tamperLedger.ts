/**
 * Writes to a stored ledger event past the database's append-only guard, as anyone with write
 * access to the storage could: the tampering that `verify` exists to catch. The guard is put
 * back afterwards.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { encodeBlock, LEAF_PREFIX_BYTES, type BlockEvent } from '../../src/adapters/ledger/blocks/blockCodec.js';
import { storedBlockOf } from '../../src/adapters/ledger/blocks/storedBlock.js';
import { LEDGER_SCHEMA, LEDGER_TABLES } from '../../src/adapters/ledger/sqlite/schema.js';

export type StoredField = 'data' | 'meta';

/** A block's events and leaf prefixes as the tamperer edits them. */
export interface EditableBlock {
  events: BlockEvent[];
  leafPrefixes: Buffer;
}

/**
 * Runs `change` on the SQLite ledger file with its append-only guards dropped, then puts them back.
 * `edit(position, f)` re-encodes the block holding `position` after `f` changed its events.
 */
export const tamperSqliteLedger = (
  file: string,
  change: (db: Database.Database, edit: (position: number, f: (block: EditableBlock, index: number) => void) => void) => void,
): void => {
  const db = new Database(file);
  try {
    for (const table of LEDGER_TABLES) db.exec(`DROP TRIGGER IF EXISTS ${table}_no_update; DROP TRIGGER IF EXISTS ${table}_no_delete;`);
    const edit = (position: number, f: (block: EditableBlock, index: number) => void): void => {
      const row = db.prepare<[number], { first: number; recorded_at: number; body: Buffer }>('SELECT first, recorded_at, body FROM blocks WHERE first <= ? ORDER BY first DESC LIMIT 1').get(position)!;
      const stored = storedBlockOf(row.first, row.recorded_at, row.body);
      const block: EditableBlock = { events: [...stored.events], leafPrefixes: Buffer.from(stored.leafPrefixes) };
      f(block, position - row.first);
      const prefixes = block.leafPrefixes.subarray(0, block.events.length * LEAF_PREFIX_BYTES);
      db.prepare('UPDATE blocks SET body = ?, count = ? WHERE first = ?').run(encodeBlock(block.events, prefixes), block.events.length, row.first);
    };
    change(db, edit);
    db.exec(LEDGER_SCHEMA); // creates the guards again
  } finally {
    db.close();
  }
};

/** Overwrites the stored text of `field` of the event at `position` in the SQLite ledger file. */
export const overwriteSqliteEvent = (file: string, position: number, field: StoredField, text: string): void =>
  tamperSqliteLedger(file, (_, edit) =>
    edit(position, (block, i) => {
      block.events[i] = { ...block.events[i]!, [field === 'data' ? 'dataJson' : 'metaJson']: text };
    }),
  );

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
