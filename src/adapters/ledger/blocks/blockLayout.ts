/**
 * Lays out one decided append group as a stored block with the index rows that find its events
 * again: both ledgers (SQLite and PostgreSQL) decide a group, hand each accepted event here in
 * position order, and store what `finish` returns in one transaction.
 *
 * The index rows are small by design (keyHash.ts, dedupMarks.ts): a few millisecond rows for
 * UUIDv7 ids, one range per dedup scope noted above its high-water mark, and a 32-bit hash only
 * for the ids and keys neither covers.
 */
import type { Hash } from '../merkle/rfc6962.js';
import type { SealedEvent } from '../sealEvent.js';
import { framedBlockPlan, LEAF_PREFIX_BYTES, type BlockEvent } from './blockCodec.js';
import type { DedupMarks, KeyRange } from './dedupMarks.js';
import { dedupKeyHash, idHash, uuidV7Millisecond } from './keyHash.js';

export interface LaidOutBlock {
  readonly count: number;
  /** framedBlockPlan's output: what compressBlock turns into the stored body. */
  readonly raw: Buffer;
  readonly leaves: readonly Hash[];
  /** The event types in the block (readTypes skips blocks without the ones it wants). */
  readonly types: readonly string[];
  /** Distinct milliseconds of the block's UUIDv7 ids. */
  readonly idTimes: readonly number[];
  /** idHash / dedupKeyHash of the ids and keys neither idTimes nor ranges cover. */
  readonly keyHashes: Int32Array;
  /** Every stream the block touches, with its version after the block. */
  readonly streams: ReadonlyArray<readonly [stream: string, version: number]>;
  /** The ranges of numbered dedup keys the block takes above their scope's mark. */
  readonly ranges: readonly KeyRange[];
}

export interface BlockLayout {
  /** An accepted event, in position order; its dedup key (if any) is noted in the marks. */
  add(sealed: SealedEvent): void;
  readonly count: number;
  finish(): LaidOutBlock;
}

export const createBlockLayout = (marks: DedupMarks): BlockLayout => {
  const events: BlockEvent[] = [];
  const leaves: Hash[] = [];
  const hashed: number[] = [];
  const idTimes = new Set<number>();
  const types = new Set<string>();
  const streams = new Map<string, number>();
  /** Position of the block's first event: its frames are aligned on the tree. */
  let first = 0;
  return {
    add({ recorded: e, leaf, dataJson, metaJson }) {
      if (events.length === 0) first = e.position;
      if (e.dedupKey !== null && !marks.note(e.dedupKey)) hashed.push(dedupKeyHash(e.dedupKey));
      const ms = uuidV7Millisecond(e.id);
      if (ms === undefined) hashed.push(idHash(e.id));
      else idTimes.add(ms);
      events.push({ id: e.id, type: e.type, schemaVersion: e.schemaVersion, stream: e.stream, streamVersion: e.streamVersion, dataJson, metaJson, dedupKey: e.dedupKey });
      leaves.push(leaf);
      types.add(e.type);
      streams.set(e.stream, e.streamVersion);
    },
    get count() {
      return events.length;
    },
    finish() {
      const prefixes = new Uint8Array(events.length * LEAF_PREFIX_BYTES);
      leaves.forEach((leaf, i) => prefixes.set(leaf.subarray(0, LEAF_PREFIX_BYTES), i * LEAF_PREFIX_BYTES));
      return {
        count: events.length,
        raw: framedBlockPlan(events, prefixes, first),
        leaves,
        types: [...types],
        idTimes: [...idTimes],
        keyHashes: Int32Array.from(hashed),
        streams: [...streams],
        ranges: marks.takeRanges(),
      };
    },
  };
};
