/**
 * Moving a ledger written in the hash-chain format of earlier versions (each event linked by
 * hash = SHA-256(prevHash ‖ canonical bytes)) into the transparency log. The old chain is checked
 * in full first: nothing is re-recorded from a ledger that does not verify. Then every event is
 * appended again in position order, each with the recordedAt it had (the target ledger's clock
 * is set to it), so positions, stream versions and as-of answers stay what they were; its old
 * position and chain hash go into its meta (`migratedFrom`).
 */
import { createHash } from 'node:crypto';
import type { EventMeta, NewEvent } from '../../../domain/events/envelope.js';
import type { Ledger } from '../../../domain/ports.js';
import { canonicalBytesOfRow, type EventRow } from '../sealEvent.js';

/** One event as the hash-chain format stored it. */
export interface HashChainRow extends Omit<EventRow, 'leaf_hash'> {
  readonly prev_hash: string;
  readonly hash: string;
}

export const HASH_CHAIN_COLUMNS = 'position, id, type, schema_version, stream, stream_version, data, meta, dedup_key, recorded_at, prev_hash, hash';

export interface HashChainSource {
  /** Rows with position > after, in order, at most limit. */
  read(after: number, limit: number): Promise<HashChainRow[]>;
  readonly total: number;
}

const GENESIS = '0'.repeat(64);
const PAGE = 5_000;

export type ChainVerdict = { readonly ok: true; readonly events: number } | { readonly ok: false; readonly position: number; readonly reason: string };

export const verifyHashChain = async (source: HashChainSource, onProgress: (done: number) => void): Promise<ChainVerdict> => {
  let prev = GENESIS;
  let expected = 1;
  for (let page = await source.read(0, PAGE); page.length > 0; page = await source.read(expected - 1, PAGE)) {
    for (const row of page) {
      const position = Number(row.position);
      if (position !== expected) return { ok: false, position: expected, reason: `position ${expected} is missing` };
      if (row.prev_hash !== prev) return { ok: false, position, reason: 'prevHash does not link to the previous event\'s hash' };
      if (createHash('sha256').update(prev + canonicalBytesOfRow(row)).digest('hex') !== row.hash) return { ok: false, position, reason: 'stored hash does not match the event\'s content' };
      prev = row.hash;
      expected++;
    }
    onProgress(expected - 1);
  }
  return { ok: true, events: expected - 1 };
};

/** What a re-recorded event carries in its meta: the old chain's position and hash. */
export const chainOrigin = (row: HashChainRow): Partial<EventMeta> => ({ migratedFrom: { position: Number(row.position), hash: row.hash } });

/** Rows of an older ledger, in position order. */
export interface OldRowSource<Row> {
  read(after: number, limit: number): Promise<Row[]>;
  readonly total: number;
}

/**
 * Appends every old event to `target`, whose clock reads `clock.set`'s value; each old append
 * group (one recordedAt) stays one group. `origin` adds to each event's meta what it should keep
 * of its old place (nothing when the old leaves stay valid, as from the one-row-per-event tree).
 */
export const reRecord = async <Row extends Omit<EventRow, 'leaf_hash'>>(
  source: OldRowSource<Row>,
  target: Ledger,
  clock: { set(t: number): void },
  onProgress: (done: number) => void,
  origin: (row: Row) => Partial<EventMeta>,
): Promise<number> => {
  let done = 0;
  let group: NewEvent[] = [];
  let groupAt = 0;
  const flush = async (): Promise<void> => {
    if (group.length === 0) return;
    clock.set(groupAt);
    const r = await target.append(group);
    if (r.appended.length !== group.length || r.appended[0]!.position !== done + 1) {
      throw new Error(`re-recording positions ${done + 1}..${done + group.length} gave ${r.appended.length} events from position ${r.appended[0]?.position ?? '-'}: is the target ledger empty?`);
    }
    done += group.length;
    group = [];
    onProgress(done);
  };
  for (let page = await source.read(0, PAGE); page.length > 0; page = await source.read(Number(page[page.length - 1]!.position), PAGE)) {
    for (const row of page) {
      const recordedAt = Number(row.recorded_at);
      if (recordedAt !== groupAt || group.length >= PAGE) await flush();
      groupAt = recordedAt;
      const { recordedAt: _, ...meta } = JSON.parse(row.meta) as EventMeta;
      group.push({
        id: row.id,
        type: row.type,
        schemaVersion: row.schema_version,
        stream: row.stream,
        data: JSON.parse(row.data) as unknown,
        meta: { ...meta, ...origin(row) },
        ...(row.dedup_key === null ? {} : { dedupKey: row.dedup_key }),
      });
    }
  }
  await flush();
  return done;
};
