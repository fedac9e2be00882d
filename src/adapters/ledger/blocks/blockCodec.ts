/**
 * The stored form of one append group: its events in one compact block. Everything an event's
 * canonical bytes (its leaf) are made of is kept exactly as hashed, so the bytes, and with them
 * the leaf, are reproduced from the block alone:
 * - position is the block's first position plus the event's index;
 * - type + schema version, stream and meta come from per-block dictionaries (a group of trades
 *   shares one meta and a few dozen streams), each stream with its first version in the block
 *   (versions of one stream within a group are consecutive);
 * - data and meta are the canonical JSON text that was hashed, never re-serialised;
 * - a 4-byte prefix of each leaf hash: not for the tree (the stored tiles and checkpoints are what
 *   vouch for it) but so that `verify` names the exact altered event rather than its 256-leaf tile.
 * Columns are laid out one after the other (all ids, then all data, then all keys) and the
 * whole block is deflated: similar values side by side is what deflate compresses best.
 *
 * Layout: deflateRaw( u32 json length ‖ JSON of the columns ‖ 4 bytes × events of leaf prefixes ).
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** One event as a block holds it: what its canonical bytes are made of, apart from its position. */
export interface BlockEvent {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly stream: string;
  readonly streamVersion: number;
  /** Canonical JSON, exactly as hashed. */
  readonly dataJson: string;
  readonly metaJson: string;
  readonly dedupKey: string | null;
}

/** Bytes of each leaf hash's prefix kept per event. */
export const LEAF_PREFIX_BYTES = 4;

/**
 * Deflate level: 1 is several times faster than the default and compresses trades within a few
 * per cent of it (measured on simulator blocks of 1,000 trades: level 1 ≈ 0.6 ms per block).
 */
export const BLOCK_DEFLATE_LEVEL = 1;

interface Columns {
  /** [type, schemaVersion] pairs. */
  readonly kinds: Array<[string, number]>;
  readonly kind: number[];
  /** [stream, first version in the block] pairs. */
  readonly streams: Array<[string, number]>;
  readonly stream: number[];
  readonly metas: string[];
  readonly meta: number[];
  readonly ids: string[];
  readonly data: string[];
  readonly keys: Array<string | null>;
}

const indexIn = <K>(dictionary: Map<K, number>, key: K, add: () => void): number => {
  let i = dictionary.get(key);
  if (i === undefined) {
    i = dictionary.size;
    dictionary.set(key, i);
    add();
  }
  return i;
};

/**
 * The block's bytes before compression: events (in position order) and the 4-byte prefixes of
 * their leaves. In a buffer of its own (never Node's shared pool), so it can be transferred to
 * the writer thread, which compresses it (compressBlock's format) off the main thread.
 */
export const blockColumns = (events: readonly BlockEvent[], leafPrefixes: Uint8Array): Buffer => {
  if (leafPrefixes.length !== events.length * LEAF_PREFIX_BYTES) throw new Error(`a block of ${events.length} events needs ${events.length * LEAF_PREFIX_BYTES} leaf prefix bytes, not ${leafPrefixes.length}`);
  const c: Columns = { kinds: [], kind: [], streams: [], stream: [], metas: [], meta: [], ids: [], data: [], keys: [] };
  const kinds = new Map<string, number>();
  const streams = new Map<string, number>();
  const metas = new Map<string, number>();
  const nextVersion: number[] = [];
  for (const e of events) {
    c.kind.push(indexIn(kinds, `${e.schemaVersion} ${e.type}`, () => c.kinds.push([e.type, e.schemaVersion])));
    const s = indexIn(streams, e.stream, () => {
      c.streams.push([e.stream, e.streamVersion]);
      nextVersion.push(e.streamVersion);
    });
    if (nextVersion[s] !== e.streamVersion) throw new Error(`stream ${e.stream} goes from version ${nextVersion[s]! - 1} to ${e.streamVersion} inside one block`);
    nextVersion[s] = e.streamVersion + 1;
    c.stream.push(s);
    c.meta.push(indexIn(metas, e.metaJson, () => c.metas.push(e.metaJson)));
    c.ids.push(e.id);
    c.data.push(e.dataJson);
    c.keys.push(e.dedupKey);
  }
  const json = Buffer.from(JSON.stringify(c));
  const raw = Buffer.allocUnsafeSlow(4 + json.length + leafPrefixes.length);
  raw.writeUInt32BE(json.length, 0);
  json.copy(raw, 4);
  raw.set(leafPrefixes, 4 + json.length);
  return raw;
};

/** The stored body of a block from its columns (the SQLite writer thread does the same with zlib in the worker). */
export const compressBlock = (raw: Uint8Array): Buffer => deflateRawSync(raw, { level: BLOCK_DEFLATE_LEVEL });

export const encodeBlock = (events: readonly BlockEvent[], leafPrefixes: Uint8Array): Buffer => compressBlock(blockColumns(events, leafPrefixes));

export interface DecodedBlock {
  readonly events: readonly BlockEvent[];
  /** LEAF_PREFIX_BYTES per event, in order. */
  readonly leafPrefixes: Buffer;
}

const malformed = (why: string): Error => new Error(`a stored ledger block is malformed (${why}): it was altered outside the ledger; run \`tickvault verify\``);

export const decodeBlock = (body: Uint8Array): DecodedBlock => {
  let raw: Buffer;
  try {
    raw = inflateRawSync(body);
  } catch (e) {
    throw malformed(`it does not inflate: ${e instanceof Error ? e.message : String(e)}`);
  }
  const length = raw.readUInt32BE(0);
  let c: Columns;
  try {
    c = JSON.parse(raw.toString('utf8', 4, 4 + length)) as Columns;
  } catch (e) {
    throw malformed(`its columns are not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const n = c.ids.length;
  const leafPrefixes = raw.subarray(4 + length);
  if (leafPrefixes.length !== n * LEAF_PREFIX_BYTES || c.data.length !== n || c.keys.length !== n || c.kind.length !== n || c.stream.length !== n || c.meta.length !== n) {
    throw malformed('its columns differ in length');
  }
  const nextVersion = c.streams.map(([, first]) => first);
  const events = new Array<BlockEvent>(n);
  for (let i = 0; i < n; i++) {
    const [type, schemaVersion] = c.kinds[c.kind[i]!]!;
    const s = c.stream[i]!;
    events[i] = {
      id: c.ids[i]!,
      type,
      schemaVersion,
      stream: c.streams[s]![0],
      streamVersion: nextVersion[s]!++,
      dataJson: c.data[i]!,
      metaJson: c.metas[c.meta[i]!]!,
      dedupKey: c.keys[i]!,
    };
  }
  return { events, leafPrefixes };
};
