/**
 * Format 1 of a stored block, written before blocks were framed (framedBlock.ts): the whole
 * group's columns in ONE deflate stream, so reading any one event inflates and parses all of
 * them. Ledgers written then keep these blocks (the database refuses rewriting them): they are
 * read, verified and proved from as they are; nothing writes this format any more.
 *
 * Layout: deflateRaw( u32 json length ‖ JSON of the columns ‖ LEAF_PREFIX_BYTES × events ).
 * The columns: per-block dictionaries of [type, schema version] pairs, of [stream, its first
 * version in the block] pairs (a stream's versions within a group are consecutive) and of meta
 * texts, then per event its indexes in them, its id, data text and dedup key.
 */
import { inflateRawSync } from 'node:zlib';
import { LEAF_PREFIX_BYTES, malformedBlock, type BlockEvent, type DecodedBlock } from './blockEvent.js';

export interface WholeBlockColumns {
  readonly kinds: Array<[string, number]>;
  readonly kind: number[];
  readonly streams: Array<[string, number]>;
  readonly stream: number[];
  readonly metas: string[];
  readonly meta: number[];
  readonly ids: string[];
  readonly data: string[];
  readonly keys: Array<string | null>;
}

export const decodeWholeBlock = (body: Uint8Array): DecodedBlock => {
  let raw: Buffer;
  try {
    raw = inflateRawSync(body);
  } catch (e) {
    throw malformedBlock(`it does not inflate: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (raw.length < 4) throw malformedBlock('it is shorter than its header');
  const length = raw.readUInt32BE(0);
  let c: WholeBlockColumns;
  try {
    c = JSON.parse(raw.toString('utf8', 4, 4 + length)) as WholeBlockColumns;
  } catch (e) {
    throw malformedBlock(`its columns are not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const n = c.ids.length;
  const leafPrefixes = raw.subarray(4 + length);
  if (leafPrefixes.length !== n * LEAF_PREFIX_BYTES || c.data.length !== n || c.keys.length !== n || c.kind.length !== n || c.stream.length !== n || c.meta.length !== n) {
    throw malformedBlock('its columns differ in length');
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
