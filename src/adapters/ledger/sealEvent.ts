/**
 * What every ledger adapter does to a new event once it has its position: stamp recordedAt,
 * serialise data and meta canonically (once, for both the stored row and the hash) and hash it
 * into its leaf of the tree. Also the row shape of one stored event (what the tree verifier checks,
 * and what the older one-row-per-event formats stored), and the expected-version rule.
 */
import { canonicalEventBytesOf, canonicalJson } from '../../domain/events/canonical.js';
import type { EventMeta, NewEvent, RecordedEvent } from '../../domain/events/envelope.js';
import type { ExpectedVersion } from '../../domain/ports.js';
import { leafHash, type Hash } from './merkle/rfc6962.js';

export interface SealedEvent {
  readonly recorded: RecordedEvent;
  readonly leaf: Hash;
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

export const sealEvent = (e: NewEvent, position: number, streamVersion: number, meta: StampedMeta): SealedEvent => {
  // One object per event: the recorded event itself serves as the input of its canonical bytes,
  // its leaf hash filled in once computed (a body object spread into the result cost a second one).
  const recorded: { -readonly [K in keyof RecordedEvent]: RecordedEvent[K] } = {
    position,
    id: e.id,
    type: e.type,
    schemaVersion: e.schemaVersion,
    stream: e.stream,
    streamVersion,
    data: e.data,
    meta: meta.meta,
    dedupKey: e.dedupKey ?? null,
    leafHash: '',
  };
  const dataJson = canonicalJson(e.data);
  const leaf = leafHash(canonicalEventBytesOf(recorded, dataJson, meta.json));
  recorded.leafHash = leaf.toString('hex');
  return { recorded, leaf, dataJson, metaJson: meta.json };
};

export const versionMatches = (expected: ExpectedVersion, actual: number): boolean =>
  expected === 'any' || (expected === 'no_stream' ? actual === 0 : actual === expected);

/** One stored event as a row (numbers may arrive as strings from PostgreSQL's BIGINT); leaf_hash may be a prefix of the leaf. */
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
  leaf_hash: Buffer;
}

export const canonicalBytesOfRow = (r: Omit<EventRow, 'leaf_hash'>): string =>
  canonicalEventBytesOf(
    { position: Number(r.position), id: r.id, type: r.type, schemaVersion: r.schema_version, stream: r.stream, streamVersion: r.stream_version, dedupKey: r.dedup_key },
    r.data,
    r.meta,
  );

const jsonError = (text: string): string | undefined => {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
};

/**
 * Why a stored row whose bytes no longer match its leaf hash was changed, in the most telling
 * words: its data or meta that no longer parses (the row was written past the append-only guard),
 * else that its content differs from what was hashed.
 */
export const alteredRowReason = (r: Omit<EventRow, 'leaf_hash'>): string => {
  for (const field of ['data', 'meta'] as const) {
    const error = jsonError(r[field]);
    if (error !== undefined) return `stored ${field} is not JSON (${error}): it was altered outside the ledger`;
  }
  return 'the stored event does not match its leaf hash';
};
