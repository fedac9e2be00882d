/**
 * The embedded BatchStore: one SQLite file beside the ledger.
 *
 * Slots and candles are stored as JSON of their lossless stored forms (bigint volumes as decimal
 * strings), so a row read back is the very value that was written: the batch and speed layers
 * must agree to the bit. Primary keys lead with the symbol and then the time, so every range
 * query is one index range scan that already comes out ordered by time, then exchange.
 *
 * Durability is relaxed on purpose (WAL + synchronous NORMAL): a power cut may lose the last
 * commits, but rows and checkpoint are lost together, and the projector redoes them from the
 * ledger, which is the source of truth.
 */
import Database from 'better-sqlite3';
import { loadCandle, storeCandle, type StoredCandle } from '../../../domain/folds/candle.js';
import { loadSlot, storeSlot, type StoredSlot } from '../../../domain/folds/minuteSlot.js';
import type { BatchCandleRow, BatchMinuteRow, BatchStore, BatchViewMeta, BatchWrite } from '../../../domain/ports.js';

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS minutes (
  symbol   TEXT    NOT NULL,
  exchange TEXT    NOT NULL,
  minute   INTEGER NOT NULL,
  slot     TEXT    NOT NULL,
  PRIMARY KEY (symbol, minute, exchange)
) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS candles (
  symbol   TEXT    NOT NULL,
  interval TEXT    NOT NULL CHECK (interval IN ('1h', '1d')),
  bucket   INTEGER NOT NULL,
  exchange TEXT    NOT NULL,
  candle   TEXT    NOT NULL,
  PRIMARY KEY (symbol, interval, bucket, exchange)
) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS views (
  "view"           TEXT    NOT NULL,
  symbol           TEXT    NOT NULL,
  version          INTEGER NOT NULL,
  computed_through INTEGER NOT NULL,
  through_position INTEGER NOT NULL,
  PRIMARY KEY ("view", symbol)
) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS checkpoints (
  projector TEXT    NOT NULL PRIMARY KEY,
  position  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
`;

interface MinuteRecord {
  readonly exchange: string;
  readonly minute: number;
  readonly slot: string;
}

interface CandleRecord {
  readonly exchange: string;
  readonly candle: string;
}

interface ViewRecord {
  readonly view: string;
  readonly symbol: string;
  readonly version: number;
  readonly computed_through: number;
  readonly through_position: number;
}

const metaOf = (r: ViewRecord): BatchViewMeta => ({
  view: r.view,
  symbol: r.symbol,
  version: r.version,
  computedThrough: r.computed_through,
  throughPosition: r.through_position,
});

export interface SqliteBatchStoreOptions {
  /** File path, or ':memory:' for a throwaway store. */
  readonly path: string;
}

export const openSqliteBatchStore = (options: SqliteBatchStoreOptions): BatchStore => {
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // A second connection (a CLI command beside a running server) waits instead of failing at once.
  db.pragma('busy_timeout = 5000');

  const found = db.pragma('user_version', { simple: true }) as number;
  if (found !== 0 && found !== SCHEMA_VERSION) {
    // The store is rebuildable from the ledger, so the honest fix is to delete it, not migrate.
    throw new Error(`batch store ${options.path} has schema version ${found}, expected ${SCHEMA_VERSION}; delete it to rebuild from the ledger`);
  }
  db.exec(SCHEMA);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);

  const sql = {
    checkpoint: db.prepare<[string], { position: number }>('SELECT position FROM checkpoints WHERE projector = ?'),
    setCheckpoint: db.prepare<[string, number]>(
      'INSERT INTO checkpoints (projector, position) VALUES (?, ?) ON CONFLICT (projector) DO UPDATE SET position = excluded.position',
    ),
    deleteMinutes: db.prepare<[string, number, number]>('DELETE FROM minutes WHERE symbol = ? AND minute >= ? AND minute < ?'),
    // Both intervals: a replaced range owns every candle whose bucket starts inside it.
    deleteCandles: db.prepare<[string, number, number]>('DELETE FROM candles WHERE symbol = ? AND bucket >= ? AND bucket < ?'),
    putMinute: db.prepare<[string, string, number, string]>(
      'INSERT INTO minutes (symbol, exchange, minute, slot) VALUES (?, ?, ?, ?) ON CONFLICT (symbol, minute, exchange) DO UPDATE SET slot = excluded.slot',
    ),
    putCandle: db.prepare<[string, string, number, string, string]>(
      'INSERT INTO candles (symbol, interval, bucket, exchange, candle) VALUES (?, ?, ?, ?, ?) ON CONFLICT (symbol, interval, bucket, exchange) DO UPDATE SET candle = excluded.candle',
    ),
    putMeta: db.prepare<[string, string, number, number, number]>(
      `INSERT INTO views ("view", symbol, version, computed_through, through_position) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT ("view", symbol) DO UPDATE SET version = excluded.version, computed_through = excluded.computed_through, through_position = excluded.through_position`,
    ),
    minutes: db.prepare<[string, number, number], MinuteRecord>(
      'SELECT exchange, minute, slot FROM minutes WHERE symbol = ? AND minute >= ? AND minute < ? ORDER BY minute, exchange',
    ),
    candles: db.prepare<[string, string, number, number], CandleRecord>(
      'SELECT exchange, candle FROM candles WHERE symbol = ? AND interval = ? AND bucket >= ? AND bucket < ? ORDER BY bucket, exchange',
    ),
    meta: db.prepare<[string, string], ViewRecord>('SELECT * FROM views WHERE "view" = ? AND symbol = ?'),
    allMeta: db.prepare<[string], ViewRecord>('SELECT * FROM views WHERE "view" = ? ORDER BY symbol'),
  };

  const commit = db.transaction((projector: string, write: BatchWrite, checkpoint: number): void => {
    for (const r of write.replace) {
      sql.deleteMinutes.run(r.symbol, r.from, r.to);
      sql.deleteCandles.run(r.symbol, r.from, r.to);
    }
    for (const m of write.minutes) sql.putMinute.run(m.symbol, m.exchange, m.minute, JSON.stringify(storeSlot(m.slot)));
    for (const c of write.candles) {
      sql.putCandle.run(c.symbol, c.interval, c.candle.bucketStart, c.exchange, JSON.stringify(storeCandle(c.candle)));
    }
    for (const m of write.meta) sql.putMeta.run(m.view, m.symbol, m.version, m.computedThrough, m.throughPosition);
    sql.setCheckpoint.run(projector, checkpoint);
  });

  return {
    async checkpoint(projector) {
      return sql.checkpoint.get(projector)?.position ?? 0;
    },

    async commit(projector, write, checkpoint) {
      commit(projector, write, checkpoint);
    },

    async minutes(symbol, from, to) {
      return sql.minutes.all(symbol, from, to).map(
        (r): BatchMinuteRow => ({ exchange: r.exchange, symbol, minute: r.minute, slot: loadSlot(JSON.parse(r.slot) as StoredSlot) }),
      );
    },

    async candles(symbol, interval, from, to) {
      return sql.candles.all(symbol, interval, from, to).map(
        (r): BatchCandleRow => ({ exchange: r.exchange, symbol, interval, candle: loadCandle(JSON.parse(r.candle) as StoredCandle) }),
      );
    },

    async meta(view, symbol) {
      const r = sql.meta.get(view, symbol);
      return r === undefined ? undefined : metaOf(r);
    },

    async allMeta(view) {
      return sql.allMeta.all(view).map(metaOf);
    },

    async close() {
      if (db.open) db.close();
    },
  };
};
