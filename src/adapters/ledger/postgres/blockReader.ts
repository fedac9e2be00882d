/**
 * Reading the PostgreSQL ledger's blocks: by position, in position order, by type, by stream, by
 * id or dedup key. Decoded blocks are kept in a small cache (blocks never change: the database
 * refuses it): followers replaying the same stretch and lookups come back to the same blocks,
 * and a block decodes once for all of them. A proof needs one event and its 16-leaf group: it
 * decodes only the frames that hold them (spanAt), kept in a cache of their own.
 */
import type pg from 'pg';
import { scopedNumberOf } from '../blocks/dedupMarks.js';
import { dedupKeyHash, idHash, uuidV7Millisecond } from '../blocks/keyHash.js';
import { createSpanCache } from '../blocks/spanCache.js';
import { storedBlockOf, type StoredBlock } from '../blocks/storedBlock.js';
import { BLOCKS_FOR_KEYS } from './schema.js';

/** A pool or a client holding a transaction (reads under the head lock go through the latter). */
export type Queryable = Pick<pg.PoolClient, 'query'>;

interface BlockRow {
  first: string;
  recorded_at: string;
  body: Buffer;
}

/** Decoded blocks kept: a few groups of the tail and of whatever a reader is replaying. */
const CACHED_BLOCKS = 32;
/** Decoded spans (a frame or two each) kept: the proofs asked lately. */
const CACHED_SPANS = 64;

/** Blocks fetched per query when a reader's limit does not say how many it needs. */
const TYPE_SCAN_BLOCKS = 16;

const COLUMNS = 'first, recorded_at, body';

/** Blocks from the one holding position $1 on (none when $1 is past the last block). */
const FROM_HOLDING = 'first >= (SELECT COALESCE(MAX(first), 0) FROM blocks WHERE first <= $1) AND first + count > $1';

export interface PgBlockReader {
  /**
   * The events of positions [position, through] in the block holding `position`, clamped to that
   * block: of a framed block, the frames that hold them (storedSpanOf); undefined if not stored.
   */
  spanAt(position: number, through: number): Promise<StoredBlock | undefined>;
  /**
   * The blocks holding positions (after, after + limit], in order. `cached: false` decodes them
   * one by one as they are iterated, bypassing the cache (verify: what is stored, and a block
   * that does not decode fails only when its turn comes).
   */
  blocksAfter(after: number, limit: number, cached?: boolean): Promise<Iterable<StoredBlock>>;
  /** Up to a few blocks after `after` holding one of `types`, in order; empty at the end. */
  blocksOfTypes(after: number, types: readonly string[]): Promise<StoredBlock[]>;
  /** Blocks holding events of `stream`, up to the one holding `through`, in order. */
  blocksOfStream(stream: string, through: number): Promise<StoredBlock[]>;
  /** The blocks that may hold the event with this id: the caller compares ids. */
  blocksForId(id: string): Promise<StoredBlock[]>;
  /** The blocks that may hold any of these dedup keys, through `db` (a transaction's client, or the pool): the caller compares keys. */
  blocksForKeys(keys: readonly string[], db?: Queryable): Promise<StoredBlock[]>;
  /** Forgets decoded blocks (after storage was changed behind the ledger: tests). */
  forget(): void;
}

export const createPgBlockReader = (pool: Queryable): PgBlockReader => {
  const cache = new Map<number, StoredBlock>();
  const spans = createSpanCache(CACHED_SPANS);
  const decoded = (row: BlockRow): StoredBlock => {
    const first = Number(row.first);
    let b = cache.get(first);
    if (b === undefined) {
      b = storedBlockOf(first, Number(row.recorded_at), row.body);
      cache.set(first, b);
      if (cache.size > CACHED_BLOCKS) cache.delete(cache.keys().next().value!);
    }
    return b;
  };
  const rows = async (db: Queryable, sql: string, params: unknown[]): Promise<BlockRow[]> => (await db.query<BlockRow>(sql, params)).rows;
  /** The blocks whose `first` is among `firsts`, in order; cached ones are not fetched again. */
  const byFirst = async (firsts: readonly number[], db: Queryable = pool): Promise<StoredBlock[]> => {
    // Taken from the cache before fetching: decoding the fetched ones may evict them.
    const found = new Map<number, StoredBlock>();
    for (const f of firsts) {
      const hit = cache.get(f);
      if (hit !== undefined) found.set(f, hit);
    }
    const missing = firsts.filter((f) => !found.has(f));
    if (missing.length > 0) for (const r of await rows(db, `SELECT ${COLUMNS} FROM blocks WHERE first = ANY($1::bigint[])`, [missing])) found.set(Number(r.first), decoded(r));
    return [...found.keys()].sort((a, b) => a - b).map((f) => found.get(f)!);
  };
  const firstsOf = async (sql: string, params: unknown[], db: Queryable = pool): Promise<number[]> => (await db.query<{ block: string }>(sql, params)).rows.map((r) => Number(r.block));

  return {
    async spanAt(position, through) {
      const kept = spans.covering(position, through);
      if (kept !== undefined) return kept;
      const [row] = await rows(pool, `SELECT ${COLUMNS} FROM blocks WHERE first <= $1 ORDER BY first DESC LIMIT 1`, [position]);
      if (row === undefined) return undefined;
      const first = Number(row.first);
      return spans.spanOf({ first, recordedAt: Number(row.recorded_at), body: row.body }, position, through, cache.get(first));
    },
    async blocksAfter(after, limit, cached = true) {
      // Positions commit in order, so the blocks of (after, after + limit] are exactly those from
      // the one holding after + 1 that start at or before after + limit.
      const sql = `SELECT ${COLUMNS} FROM blocks WHERE ${FROM_HOLDING} AND first <= $2 ORDER BY first`;
      if (!cached) {
        const found = await rows(pool, sql, [after + 1, after + limit]);
        return (function* () {
          for (const r of found) yield storedBlockOf(Number(r.first), Number(r.recorded_at), r.body);
        })();
      }
      const firsts = await firstsOf(`SELECT first AS block FROM blocks WHERE ${FROM_HOLDING} AND first <= $2 ORDER BY first`, [after + 1, after + limit]);
      return byFirst(firsts);
    },
    async blocksOfTypes(after, types) {
      const firsts = await firstsOf(`SELECT first AS block FROM blocks WHERE ${FROM_HOLDING} AND types && $2::text[] ORDER BY first LIMIT $3`, [after + 1, types, TYPE_SCAN_BLOCKS]);
      return byFirst(firsts);
    },
    async blocksOfStream(stream, through) {
      const firsts = await firstsOf('SELECT sb.block FROM stream_blocks sb JOIN streams s ON s.id = sb.stream WHERE s.name = $1 AND sb.block <= $2 ORDER BY sb.block', [stream, through]);
      return byFirst(firsts);
    },
    async blocksForId(id) {
      const ms = uuidV7Millisecond(id);
      const firsts = ms === undefined ? await firstsOf('SELECT block FROM event_keys WHERE hash = $1', [idHash(id)]) : await firstsOf('SELECT block FROM id_times WHERE ms = $1', [ms]);
      return byFirst(firsts);
    },
    async blocksForKeys(keys, db = pool) {
      if (keys.length === 0) return [];
      const numbered = keys.flatMap((k) => scopedNumberOf(k) ?? []);
      const firsts = await firstsOf(BLOCKS_FOR_KEYS, [keys.map(dedupKeyHash), numbered.map((s) => s.scope), numbered.map((s) => s.n)], db);
      return byFirst(firsts, db);
    },
    forget() {
      cache.clear();
      spans.clear();
    },
  };
};
