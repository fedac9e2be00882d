/**
 * What every ledger adapter does to a new event once it has its position: stamp recordedAt,
 * serialise data and meta canonically (once, for both the stored row and the hash) and link it
 * into the hash chain. Also the row shape both SQL ledgers store, and the expected-version rule.
 */
import { canonicalEventBytesOf, canonicalJson } from '../../domain/events/canonical.js';
import type { EventMeta, NewEvent, RecordedEvent } from '../../domain/events/envelope.js';
import type { ExpectedVersion } from '../../domain/ports.js';
import { hashBytes, type UnreadableEvent } from './hashChain.js';

export interface SealedEvent {
  readonly recorded: RecordedEvent;
  /** Canonical JSON of data and meta, exactly as hashed: store these, never re-serialise. */
  readonly dataJson: string;
  readonly metaJson: string;
}

export interface StampedMeta {
  readonly meta: EventMeta;
  readonly json: string;
}

/**
 * Stamps recordedAt on metas and serialises them canonically, once per distinct meta object:
 * the events of one command share their meta, so a batch of 1,000 trades costs one serialisation.
 */
export const createMetaStamper = (recordedAt: number): ((meta: NewEvent['meta']) => StampedMeta) => {
  let last: NewEvent['meta'] | undefined;
  let stamped!: StampedMeta;
  return (m) => {
    if (m !== last) {
      last = m;
      const meta: EventMeta = { ...m, recordedAt };
      stamped = { meta, json: canonicalJson(meta) };
    }
    return stamped;
  };
};

export const sealEvent = (e: NewEvent, position: number, streamVersion: number, meta: StampedMeta, prevHash: string): SealedEvent => {
  const body = {
    position,
    id: e.id,
    type: e.type,
    schemaVersion: e.schemaVersion,
    stream: e.stream,
    streamVersion,
    data: e.data,
    meta: meta.meta,
    dedupKey: e.dedupKey ?? null,
  };
  const dataJson = canonicalJson(e.data);
  const hash = hashBytes(prevHash, canonicalEventBytesOf(body, dataJson, meta.json));
  return { recorded: { ...body, prevHash, hash }, dataJson, metaJson: meta.json };
};

export const versionMatches = (expected: ExpectedVersion, actual: number): boolean =>
  expected === 'any' || (expected === 'no_stream' ? actual === 0 : actual === expected);

/** One stored event as the SQL ledgers keep it (numbers may arrive as strings from PostgreSQL's BIGINT). */
export interface EventRow {
  position: number | string;
  id: string;
  type: string;
  schema_version: number;
  stream: string;
  stream_version: number;
  data: string;
  meta: string;
  dedup_key: string | null;
  recorded_at: number | string;
  prev_hash: string;
  hash: string;
}

export const SELECT_COLUMNS = 'position, id, type, schema_version, stream, stream_version, data, meta, dedup_key, recorded_at, prev_hash, hash';

export const toRecorded = (r: EventRow): RecordedEvent => ({
  position: Number(r.position),
  id: r.id,
  type: r.type,
  schemaVersion: r.schema_version,
  stream: r.stream,
  streamVersion: r.stream_version,
  data: JSON.parse(r.data) as unknown,
  meta: JSON.parse(r.meta) as EventMeta,
  dedupKey: r.dedup_key,
  prevHash: r.prev_hash,
  hash: r.hash,
});

const parsesAsJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/**
 * A stored row for the verifier: the event, or, when its data or meta no longer parses (the row
 * was written past the append-only guard), why it cannot be read, so that verify names it
 * instead of throwing.
 */
export const toVerifiable = (r: EventRow): RecordedEvent | UnreadableEvent => {
  try {
    return toRecorded(r);
  } catch (e) {
    const field = parsesAsJson(r.data) ? 'meta' : 'data';
    return { position: Number(r.position), unreadable: `stored ${field} is not JSON (${e instanceof Error ? e.message : String(e)}): it was altered outside the ledger` };
  }
};
