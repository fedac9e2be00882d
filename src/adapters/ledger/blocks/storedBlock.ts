/**
 * A decoded block with its place in the ledger, and the event views every reader needs from it:
 * the recorded event (with its leaf hash recomputed from its canonical bytes: leaves are not
 * stored), an event's canonical bytes and stored leaf prefix (what the tree verifier and the
 * proofs hash, with no row object per event), and the row of an event that failed verification
 * (what explains why).
 */
import { canonicalEventBytesOf } from '../../../domain/events/canonical.js';
import type { EventMeta, RecordedEvent } from '../../../domain/events/envelope.js';
import { leafHash, type Hash } from '../merkle/rfc6962.js';
import type { EventRow } from '../sealEvent.js';
import { decodeBlock, decodeBlockSpan, LEAF_PREFIX_BYTES, type BlockEvent } from './blockCodec.js';

export interface StoredBlock {
  /** Position of its first event. */
  readonly first: number;
  readonly recordedAt: number;
  readonly events: readonly BlockEvent[];
  readonly leafPrefixes: Buffer;
}

/** A stored block that does not decode: `verify` names its first position instead of failing. */
export class MalformedBlockError extends Error {
  constructor(readonly position: number, reason: string) {
    super(`the block from position ${position}: ${reason}`);
  }
}

export const storedBlockOf = (first: number, recordedAt: number, body: Uint8Array): StoredBlock => {
  try {
    const { events, leafPrefixes } = decodeBlock(body);
    return { first, recordedAt, events, leafPrefixes };
  } catch (e) {
    throw new MalformedBlockError(first, e instanceof Error ? e.message : String(e));
  }
};

/**
 * The events of the block stored at `first` that hold positions [from, through] (clamped to the
 * block), as a block of their own: for a framed block only the frames holding them are decoded,
 * and the result's `first` is its first frame's position. What one proof needs of a block.
 */
export const storedSpanOf = (first: number, recordedAt: number, body: Uint8Array, from: number, through: number): StoredBlock => {
  try {
    const span = decodeBlockSpan(body, from - first, through - first + 1);
    return { first: first + span.from, recordedAt, events: span.events, leafPrefixes: span.leafPrefixes };
  } catch (e) {
    throw new MalformedBlockError(first, e instanceof Error ? e.message : String(e));
  }
};

/** Position of the block's last event. */
export const lastOf = (b: StoredBlock): number => b.first + b.events.length - 1;

/** The event at index `i` as the verifier checks it: its stored text, and the prefix of the leaf it was hashed to. */
export const eventRowOf = (b: StoredBlock, i: number): EventRow => {
  const e = b.events[i]!;
  return {
    position: b.first + i,
    id: e.id,
    type: e.type,
    schema_version: e.schemaVersion,
    stream: e.stream,
    stream_version: e.streamVersion,
    data: e.dataJson,
    meta: e.metaJson,
    dedup_key: e.dedupKey,
    recorded_at: b.recordedAt,
    leaf_hash: b.leafPrefixes.subarray(i * LEAF_PREFIX_BYTES, (i + 1) * LEAF_PREFIX_BYTES),
  };
};

/** The canonical bytes of the event at index `i`: what its leaf hashes. */
export const canonicalBytesAt = (b: StoredBlock, i: number): string => {
  const e = b.events[i]!;
  // A block event has every field of the canonical bytes but its position (and data and meta as text).
  return canonicalEventBytesOf({ position: b.first + i, id: e.id, type: e.type, schemaVersion: e.schemaVersion, stream: e.stream, streamVersion: e.streamVersion, dedupKey: e.dedupKey }, e.dataJson, e.metaJson);
};

/** Whether `leaf` begins with the prefix stored for the event at index `i` (compared in place: no buffer per event). */
export const matchesStoredPrefix = (b: StoredBlock, i: number, leaf: Hash): boolean =>
  leaf.compare(b.leafPrefixes, i * LEAF_PREFIX_BYTES, (i + 1) * LEAF_PREFIX_BYTES, 0, LEAF_PREFIX_BYTES) === 0;

/**
 * Recorded events of the block at indexes [from, to). The events of a group share their meta
 * text: it is parsed once per distinct text (the parsed meta, like every recorded event, is
 * never mutated).
 */
export const recordedEventsOf = (b: StoredBlock, from = 0, to = b.events.length): RecordedEvent[] => {
  const metas = new Map<string, EventMeta>();
  const out: RecordedEvent[] = [];
  for (let i = from; i < to; i++) {
    const e = b.events[i]!;
    let meta = metas.get(e.metaJson);
    if (meta === undefined) {
      meta = JSON.parse(e.metaJson) as EventMeta;
      metas.set(e.metaJson, meta);
    }
    out.push({
      position: b.first + i,
      id: e.id,
      type: e.type,
      schemaVersion: e.schemaVersion,
      stream: e.stream,
      streamVersion: e.streamVersion,
      data: JSON.parse(e.dataJson) as unknown,
      meta,
      dedupKey: e.dedupKey,
      leafHash: leafHash(canonicalBytesAt(b, i)).toString('hex'),
    });
  }
  return out;
};
