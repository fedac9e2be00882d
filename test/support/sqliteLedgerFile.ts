/** The events stored in an embedded ledger file, read straight from its blocks (no ledger opened, nothing written). */
import Database from 'better-sqlite3';
import type { BlockEvent } from '../../src/adapters/ledger/blocks/blockCodec.js';
import { storedBlockOf } from '../../src/adapters/ledger/blocks/storedBlock.js';

export const storedSqliteEvents = (file: string): Array<BlockEvent & { position: number }> => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare<[], { first: number; recorded_at: number; body: Buffer }>('SELECT first, recorded_at, body FROM blocks ORDER BY first').all();
    return rows.flatMap((r) => storedBlockOf(r.first, r.recorded_at, r.body).events.map((e, i) => ({ ...e, position: r.first + i })));
  } finally {
    db.close();
  }
};
