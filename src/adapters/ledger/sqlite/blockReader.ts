/**
 * Reading the SQLite ledger's blocks: by position, in position order, by stream, by key hash.
 * Decoded blocks are kept in a small cache: followers and lookups tend to come back to the same
 * recent blocks. A proof needs one event and its 16-leaf group: it decodes only the frames that
 * hold them (spanAt), kept in a cache of their own.
 */
import type Database from 'better-sqlite3';
import { scopedNumberOf } from '../blocks/dedupMarks.js';
import { dedupKeyHash, idHash, uuidV7Millisecond } from '../blocks/keyHash.js';
import { createSpanCache } from '../blocks/spanCache.js';
import { storedBlockOf, type StoredBlock } from '../blocks/storedBlock.js';

interface BlockRow {
  first: number;
  recorded_at: number;
  body: Buffer;
}

/** Decoded blocks kept: a few groups of the tail and of whatever a reader is replaying. */
const CACHED_BLOCKS = 16;
/** Decoded spans (a frame or two each) kept: the proofs asked lately. */
const CACHED_SPANS = 64;

export interface BlockReader {
  /**
   * The events of positions [position, through] in the block holding `position`, clamped to that
   * block: of a framed block, the frames that hold them (storedSpanOf); undefined if not stored.
   */
  spanAt(position: number, through: number): StoredBlock | undefined;
  /**
   * Blocks in position order from the one holding `position` (or the first after it); with
   * `types`, only blocks holding one of them (the others are skipped from their stored type
   * list, without reading or decoding their bodies).
   */
  blocksFrom(position: number, types?: ReadonlySet<string>): Generator<StoredBlock>;
  /** Blocks holding events of `stream`, up to the one holding `through`, in order. */
  blocksOfStream(stream: string, through: number): StoredBlock[];
  /** The blocks that may hold the event with this id (keyHash.ts): the caller compares ids. */
  blocksForId(id: string): StoredBlock[];
  /** The blocks that may hold the event with this dedup key (dedupMarks.ts): the caller compares keys. */
  blocksForKey(key: string): StoredBlock[];
  /** Position of the last stored event and its recorded time (0, 0 when empty). */
  head(): { position: number; recordedAt: number };
  /** A stream's version in storage (0 when it has no event). */
  streamVersion(stream: string): number;
  /** The last position recorded at or before `t`. */
  positionRecordedBy(t: number): number;
  /** Every scope's high-water mark as stored. */
  dedupMarks(): Map<string, number>;
  /** Forgets decoded blocks (after storage was changed behind the ledger: tests, a failed write). */
  forget(): void;
}

export const createBlockReader = (db: Database.Database): BlockReader => {
  const cache = new Map<number, StoredBlock>();
  const spans = createSpanCache(CACHED_SPANS);
  const decoded = (row: BlockRow): StoredBlock => {
    let b = cache.get(row.first);
    if (b === undefined) {
      b = storedBlockOf(row.first, row.recorded_at, row.body);
      cache.set(row.first, b);
      if (cache.size > CACHED_BLOCKS) cache.delete(cache.keys().next().value!);
    }
    return b;
  };
  const COLUMNS = 'first, recorded_at, body';
  const firstFrom = db.prepare<[number], number>('SELECT first FROM blocks WHERE first <= ? ORDER BY first DESC LIMIT 1').pluck();
  const from = db.prepare<[number], BlockRow>(`SELECT ${COLUMNS} FROM blocks WHERE first >= ? ORDER BY first`);
  const byFirst = db.prepare<[number], BlockRow>(`SELECT ${COLUMNS} FROM blocks WHERE first = ?`);
  const holding = db.prepare<[number], BlockRow>(`SELECT ${COLUMNS} FROM blocks WHERE first <= ? ORDER BY first DESC LIMIT 1`);
  const headRow = db.prepare<[], { last: number; recorded_at: number }>('SELECT first + count - 1 AS last, recorded_at FROM blocks ORDER BY first DESC LIMIT 1');
  const ofStream = db.prepare<[string, number], number>(
    'SELECT sb.block FROM stream_blocks sb JOIN streams s ON s.id = sb.stream WHERE s.name = ? AND sb.block <= ? ORDER BY sb.block',
  ).pluck();
  const versionOf = db.prepare<[string], number>(
    'SELECT sb.version FROM stream_blocks sb JOIN streams s ON s.id = sb.stream WHERE s.name = ? ORDER BY sb.block DESC LIMIT 1',
  ).pluck();
  const withKey = db.prepare<[number], number>('SELECT block FROM event_keys WHERE hash = ?').pluck();
  const typesFrom = db.prepare<[number], { first: number; types: string }>('SELECT first, types FROM blocks WHERE first >= ? ORDER BY first');
  const recordedBy = db.prepare<[number], number>('SELECT first + count - 1 FROM blocks WHERE recorded_at <= ? ORDER BY recorded_at DESC, first DESC LIMIT 1').pluck();
  const withIdTime = db.prepare<[number], number>('SELECT block FROM id_times WHERE ms = ?').pluck();
  const rangeAt = db.prepare<[string, number], { hi: number; block: number }>('SELECT hi, block FROM dedup_ranges WHERE scope = ? AND lo <= ? ORDER BY lo DESC LIMIT 1');
  const nextScope = db.prepare<[string], string>('SELECT scope FROM dedup_ranges WHERE scope > ? ORDER BY scope LIMIT 1').pluck();
  const markOf = db.prepare<[string], number>('SELECT hi FROM dedup_ranges WHERE scope = ? ORDER BY lo DESC LIMIT 1').pluck();

  const atFirst = (first: number): StoredBlock | undefined => {
    const hit = cache.get(first);
    if (hit !== undefined) return hit;
    const row = byFirst.get(first);
    return row === undefined ? undefined : decoded(row);
  };

  return {
    spanAt(position, through) {
      const kept = spans.covering(position, through);
      if (kept !== undefined) return kept;
      const row = holding.get(position);
      if (row === undefined) return undefined;
      return spans.spanOf({ first: row.first, recordedAt: row.recorded_at, body: row.body }, position, through, cache.get(row.first));
    },
    *blocksFrom(position, types) {
      const start = firstFrom.get(position) ?? 0;
      // Rows are read one at a time: a reader that wants one page stops after a block or two.
      if (types === undefined) {
        for (const row of from.iterate(start)) yield cache.get(row.first) ?? decoded(row);
        return;
      }
      for (const row of typesFrom.iterate(start)) if (row.types.split('\n').some((t) => types.has(t))) yield atFirst(row.first)!;
    },
    blocksOfStream: (stream, through) => ofStream.all(stream, through).map((first) => atFirst(first)!),
    blocksForId(id) {
      const ms = uuidV7Millisecond(id);
      return (ms === undefined ? withKey.all(idHash(id)) : withIdTime.all(ms)).map((first) => atFirst(first)!);
    },
    blocksForKey(key) {
      const firsts = new Set(withKey.all(dedupKeyHash(key)));
      const s = scopedNumberOf(key);
      const range = s === undefined ? undefined : rangeAt.get(s.scope, s.n);
      if (range !== undefined && range.hi >= s!.n) firsts.add(range.block);
      return [...firsts].map((first) => atFirst(first)!);
    },
    head() {
      const r = headRow.get();
      return r === undefined ? { position: 0, recordedAt: 0 } : { position: r.last, recordedAt: r.recorded_at };
    },
    streamVersion: (stream) => versionOf.get(stream) ?? 0,
    positionRecordedBy: (t) => recordedBy.get(t) ?? 0,
    dedupMarks() {
      // Two index seeks per scope (a skip scan): the table holds every range of every scope.
      const marks = new Map<string, number>();
      for (let scope = nextScope.get(''); scope !== undefined; scope = nextScope.get(scope)) marks.set(scope, markOf.get(scope)!);
      return marks;
    },
    forget() {
      cache.clear();
      spans.clear();
    },
  };
};
