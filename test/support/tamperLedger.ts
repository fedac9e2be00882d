/**
 * Writes to a stored ledger past the database's append-only guards, as anyone with write access
 * to the storage could: the tampering that `verify` exists to catch. The guards are put back
 * afterwards. Both ledgers store blocks, so an event is changed by re-encoding its block.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { blockFormatOf, decodeBlock, encodeFramedBlock, LEAF_PREFIX_BYTES, type BlockEvent } from '../../src/adapters/ledger/blocks/blockCodec.js';
import { storedBlockOf } from '../../src/adapters/ledger/blocks/storedBlock.js';
import { changeGuardOf, LEDGER_TABLES as PG_LEDGER_TABLES } from '../../src/adapters/ledger/postgres/schema.js';
import { LEDGER_SCHEMA, LEDGER_TABLES } from '../../src/adapters/ledger/sqlite/schema.js';
import type { LedgerTampering } from '../contracts/ledger.contract.js';
import { encodeWholeBlock } from './wholeBlockWriter.js';

export type StoredField = 'data' | 'meta';

/** A block's events and leaf prefixes as the tamperer edits them. */
export interface EditableBlock {
  events: BlockEvent[];
  leafPrefixes: Buffer;
}

export type BlockEdit = (block: EditableBlock, index: number) => void;

interface StoredBlockRow {
  first: number | string;
  recorded_at: number | string;
  body: Buffer;
}

/** The block row re-encoded, in the format it was stored in, after `f` changed the events of the block holding `position`. */
const reencoded = (row: StoredBlockRow, position: number, f: BlockEdit): { body: Buffer; count: number } => {
  const stored = storedBlockOf(Number(row.first), Number(row.recorded_at), row.body);
  const block: EditableBlock = { events: [...stored.events], leafPrefixes: Buffer.from(stored.leafPrefixes) };
  f(block, position - Number(row.first));
  const prefixes = block.leafPrefixes.subarray(0, block.events.length * LEAF_PREFIX_BYTES);
  const body = blockFormatOf(row.body) === 1 ? encodeWholeBlock(block.events, prefixes) : encodeFramedBlock(block.events, prefixes, Number(row.first));
  return { body, count: block.events.length };
};

/** A stored body as the ledger wrote it before blocks were framed (format 1); the bodies that already are, unchanged. */
const inEarlierFormat = (body: Buffer): Buffer => {
  if (blockFormatOf(body) === 1) return body;
  const { events, leafPrefixes } = decodeBlock(body);
  return encodeWholeBlock(events, leafPrefixes);
};

const setField = (field: StoredField, text: string): BlockEdit => (block, i) => {
  block.events[i] = { ...block.events[i]!, [field === 'data' ? 'dataJson' : 'metaJson']: text };
};

/**
 * Runs `change` on the SQLite ledger file with its append-only guards dropped, then puts them back.
 * `edit(position, f)` re-encodes the block holding `position` after `f` changed its events.
 */
export const tamperSqliteLedger = (file: string, change: (db: Database.Database, edit: (position: number, f: BlockEdit) => void) => void): void => {
  const db = new Database(file);
  try {
    for (const table of LEDGER_TABLES) db.exec(`DROP TRIGGER IF EXISTS ${table}_no_update; DROP TRIGGER IF EXISTS ${table}_no_delete;`);
    const edit = (position: number, f: BlockEdit): void => {
      const row = db.prepare<[number], StoredBlockRow>('SELECT first, recorded_at, body FROM blocks WHERE first <= ? ORDER BY first DESC LIMIT 1').get(position)!;
      const { body, count } = reencoded(row, position, f);
      db.prepare('UPDATE blocks SET body = ?, count = ? WHERE first = ?').run(body, count, row.first);
    };
    change(db, edit);
    db.exec(LEDGER_SCHEMA); // creates the guards again
  } finally {
    db.close();
  }
};

/** Overwrites the stored text of `field` of the event at `position` in the SQLite ledger file. */
export const overwriteSqliteEvent = (file: string, position: number, field: StoredField, text: string): void =>
  tamperSqliteLedger(file, (_, edit) => edit(position, setField(field, text)));

/**
 * Runs `change` on the PostgreSQL ledger in `schema` with its append-only guards disabled (as the
 * schema's owner), then enables them again. `edit` as for SQLite; statements name the schema's tables unqualified.
 */
export const tamperPostgresLedger = async (
  url: string,
  schema: string,
  change: (c: pg.Client, edit: (position: number, f: BlockEdit) => Promise<void>) => Promise<void>,
): Promise<void> => {
  const c = new pg.Client({ connectionString: url, options: `-c search_path="${schema}"` });
  await c.connect();
  const guards = async (action: 'DISABLE' | 'ENABLE'): Promise<void> => {
    for (const table of PG_LEDGER_TABLES) await c.query(`ALTER TABLE ${table} ${action} TRIGGER ${changeGuardOf(table)}`);
  };
  try {
    await guards('DISABLE');
    const edit = async (position: number, f: BlockEdit): Promise<void> => {
      const row = (await c.query<StoredBlockRow>('SELECT first, recorded_at, body FROM blocks WHERE first <= $1 ORDER BY first DESC LIMIT 1', [position])).rows[0]!;
      const { body, count } = reencoded(row, position, f);
      await c.query('UPDATE blocks SET body = $1, count = $2 WHERE first = $3', [body, count, row.first]);
    };
    await change(c, edit);
  } finally {
    await guards('ENABLE').catch(() => undefined);
    await c.end();
  }
};

/** Overwrites the stored text of `field` of the event at `position` in the PostgreSQL ledger in `schema`. */
export const overwritePostgresEvent = (url: string, schema: string, position: number, field: StoredField, text: string): Promise<void> =>
  tamperPostgresLedger(url, schema, (_, edit) => edit(position, setField(field, text)));

/** The contract suite's tampering, from a ledger's own way of deleting blocks, replacing a note and editing a block. */
export const blockTampering = (storage: {
  deleteBlocksAfter(position: number): Promise<void>;
  setCheckpointNote(size: number, note: string): Promise<void>;
  setTile(level: number, index: number, hash: Buffer): Promise<void>;
  edit(position: number, f: BlockEdit): Promise<void>;
  /** Replaces every stored body with `rewrite` of it; resolves with how many it replaced. */
  rewriteBodies(rewrite: (body: Buffer) => Buffer): Promise<number>;
}): LedgerTampering => ({
  storeInEarlierFormat: async () => {
    let framed = 0;
    await storage.rewriteBodies((body) => {
      if (blockFormatOf(body) === 2) framed++;
      return inEarlierFormat(body);
    });
    return framed;
  },
  deleteEventsAfter: async (position) => {
    await storage.deleteBlocksAfter(position);
    await storage.edit(position, (block, i) => void block.events.splice(i + 1));
  },
  swapEvents: async (a, b) => {
    const entryOf = (block: EditableBlock, i: number) => ({ data: block.events[i]!.dataJson, prefix: Buffer.from(block.leafPrefixes.subarray(i * LEAF_PREFIX_BYTES, (i + 1) * LEAF_PREFIX_BYTES)) });
    const put = (block: EditableBlock, i: number, entry: ReturnType<typeof entryOf>): void => {
      block.events[i] = { ...block.events[i]!, dataJson: entry.data };
      entry.prefix.copy(block.leafPrefixes, i * LEAF_PREFIX_BYTES);
    };
    let held!: ReturnType<typeof entryOf>;
    await storage.edit(a, (block, i) => void (held = entryOf(block, i)));
    await storage.edit(b, (block, i) => {
      const mine = entryOf(block, i);
      put(block, i, held);
      held = mine;
    });
    await storage.edit(a, (block, i) => put(block, i, held));
  },
  replaceCheckpointNote: (size, note) => storage.setCheckpointNote(size, note),
  replaceTile: (level, index, hash) => storage.setTile(level, index, hash),
});

export const sqliteTampering = (file: string): LedgerTampering =>
  blockTampering({
    deleteBlocksAfter: async (position) => tamperSqliteLedger(file, (db) => void db.prepare('DELETE FROM blocks WHERE first > ?').run(position)),
    setCheckpointNote: async (size, note) => tamperSqliteLedger(file, (db) => void db.prepare('UPDATE checkpoints SET note = ? WHERE size = ?').run(note, size)),
    setTile: async (level, index, hash) => tamperSqliteLedger(file, (db) => void db.prepare('UPDATE tree_tiles SET hash = ? WHERE level = ? AND idx = ?').run(hash, level, index)),
    edit: async (position, f) => tamperSqliteLedger(file, (_, edit) => edit(position, f)),
    rewriteBodies: async (rewrite) => {
      let n = 0;
      tamperSqliteLedger(file, (db) => {
        const update = db.prepare('UPDATE blocks SET body = ? WHERE first = ?');
        for (const r of db.prepare<[], StoredBlockRow>('SELECT first, recorded_at, body FROM blocks').all()) n += update.run(rewrite(r.body), r.first).changes;
      });
      return n;
    },
  });

export const postgresTampering = (url: string, schema: string): LedgerTampering =>
  blockTampering({
    deleteBlocksAfter: (position) => tamperPostgresLedger(url, schema, async (c) => void (await c.query('DELETE FROM blocks WHERE first > $1', [position]))),
    setCheckpointNote: (size, note) => tamperPostgresLedger(url, schema, async (c) => void (await c.query('UPDATE checkpoints SET note = $1 WHERE size = $2', [note, size]))),
    setTile: (level, index, hash) => tamperPostgresLedger(url, schema, async (c) => void (await c.query('UPDATE tree_tiles SET hash = $1 WHERE level = $2 AND idx = $3', [hash, level, index]))),
    edit: (position, f) => tamperPostgresLedger(url, schema, (_, edit) => edit(position, f)),
    rewriteBodies: async (rewrite) => {
      let n = 0;
      await tamperPostgresLedger(url, schema, async (c) => {
        for (const r of (await c.query<StoredBlockRow>('SELECT first, recorded_at, body FROM blocks')).rows) n += (await c.query('UPDATE blocks SET body = $1 WHERE first = $2', [rewrite(r.body), r.first])).rowCount ?? 0;
      });
      return n;
    },
  });
