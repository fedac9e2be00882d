/**
 * Format 2 of a stored block: the group's events in independent compressed frames of at most
 * FRAME_EVENTS events, behind an offset table, so that one event's bytes (an inclusion proof,
 * a lookup by id) cost one small frame inflated and parsed instead of the whole block
 * (wholeBlock.ts, format 1, inflated and parsed every event of the group for one).
 *
 * Body: MAGIC ‖ u32 sections ‖ sections × (u32 events, u32 bytes, u32 crc32) ‖ head ‖ frames…
 * - MAGIC is 0xFE 0x02: a first byte no deflate stream starts with (its block type bits are 11,
 *   reserved), so a format 1 body, which is one deflate stream, is never taken for this one;
 *   then the format's number.
 * - Section 0, the head: deflateRaw(JSON of the block's dictionaries: [type, schema version]
 *   pairs, stream names, meta texts; a group of trades shares one meta and a few dozen streams);
 *   its `events` is the block's event count.
 * - Sections 1…: the frames, in position order: deflateRaw(u32 json length ‖ JSON of the frame's
 *   columns ‖ LEAF_PREFIX_BYTES × its events), compressed with the head's raw bytes as deflate's
 *   preset dictionary, so stream names and meta text repeated in every frame cost a back
 *   reference each, not a frame's first spelling of them.
 * - Each section's `bytes` locate it (the offset table); its crc32, over its stored bytes, is
 *   checked before it is inflated: raw deflate has no checksum of its own, and an altered frame
 *   must be refused, not decoded into other events.
 * Frames are aligned on the tree: one starts at every leaf index that is a multiple of
 * FRAME_EVENTS, so a proof's own group of 16 leaves (tree/treeGrowth.ts) lies in one frame,
 * the frame holding its event's bytes. Within a frame, like format 1, similar values sit side by
 * side (all ids, then all data, then all keys): what deflate compresses best.
 *
 * The uncompressed form (framedBlockPlan, laid out on the main thread and transferable to the
 * SQLite writer thread) is the same layout with each section raw, its `bytes` its raw length
 * and its crc32 0; compressBlock turns it into the stored body.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { BLOCK_DEFLATE_LEVEL, kindKey, LEAF_PREFIX_BYTES, malformedBlock, type BlockEvent, type DecodedBlock } from './blockEvent.js';

/** Events per frame, at most: one frame inflates and parses in tens of microseconds. */
export const FRAME_EVENTS = 64;

/** The format's first two bytes (see above). */
export const FRAMED_BLOCK_MAGIC = Buffer.from([0xfe, 0x02]);

const SECTION_COUNT_AT = FRAMED_BLOCK_MAGIC.length;
const TABLE_AT = SECTION_COUNT_AT + 4;
const ENTRY_BYTES = 12;

/** Where the plan's table lies: what the SQLite writer thread's copy of compressBlock reads it by. */
export const FRAMED_BLOCK_LAYOUT = { sectionCountAt: SECTION_COUNT_AT, tableAt: TABLE_AT, entryBytes: ENTRY_BYTES } as const;

interface Head {
  readonly kinds: Array<[string, number]>;
  readonly streams: string[];
  readonly metas: string[];
}

interface FrameColumns {
  readonly kind: number[];
  readonly stream: number[];
  /** [stream index, the stream's version at its first event in the frame], per stream in the frame. */
  readonly starts: Array<[number, number]>;
  readonly meta: number[];
  readonly ids: string[];
  readonly data: string[];
  readonly keys: Array<string | null>;
}

export const isFramedBlock = (body: Uint8Array): boolean => body.length >= TABLE_AT && body[0] === FRAMED_BLOCK_MAGIC[0] && body[1] === FRAMED_BLOCK_MAGIC[1];

const indexIn = <K>(dictionary: Map<K, number>, key: K, add: () => void): number => {
  let i = dictionary.get(key);
  if (i === undefined) {
    i = dictionary.size;
    dictionary.set(key, i);
    add();
  }
  return i;
};

/** Where the frames of a block whose first event is at `first` end (exclusive indexes in the block). */
const frameEnds = (first: number, count: number): number[] => {
  const ends: number[] = [];
  // Leaf index of the block's first event is first − 1: the first frame runs to the next multiple of FRAME_EVENTS.
  for (let end = FRAME_EVENTS - ((first - 1) % FRAME_EVENTS); end < count; end += FRAME_EVENTS) ends.push(end);
  if (count > 0) ends.push(count);
  return ends;
};

/**
 * The block's uncompressed form: events (in position order, the first at position `first`) and
 * the LEAF_PREFIX_BYTES prefixes of their leaves. In a buffer of its own (never Node's shared
 * pool), so it can be transferred to the writer thread.
 */
export const framedBlockPlan = (events: readonly BlockEvent[], leafPrefixes: Uint8Array, first: number): Buffer => {
  if (leafPrefixes.length !== events.length * LEAF_PREFIX_BYTES) throw new Error(`a block of ${events.length} events needs ${events.length * LEAF_PREFIX_BYTES} leaf prefix bytes, not ${leafPrefixes.length}`);
  if (events.length > 0 && (!Number.isSafeInteger(first) || first < 1)) throw new Error(`a block starts at a position ≥ 1, not ${first}`);
  const head: Head = { kinds: [], streams: [], metas: [] };
  const kinds = new Map<string, number>();
  const streams = new Map<string, number>();
  const metas = new Map<string, number>();
  const nextVersion: number[] = [];
  const sections: Buffer[] = [];
  const counts: number[] = [events.length];
  let from = 0;
  for (const to of frameEnds(first, events.length)) {
    const c: FrameColumns = { kind: [], stream: [], starts: [], meta: [], ids: [], data: [], keys: [] };
    const inFrame = new Set<number>();
    for (let i = from; i < to; i++) {
      const e = events[i]!;
      c.kind.push(indexIn(kinds, kindKey(e), () => head.kinds.push([e.type, e.schemaVersion])));
      const s = indexIn(streams, e.stream, () => head.streams.push(e.stream));
      const expected = nextVersion[s];
      if (expected !== undefined && expected !== e.streamVersion) throw new Error(`stream ${e.stream} goes from version ${expected - 1} to ${e.streamVersion} inside one block`);
      nextVersion[s] = e.streamVersion + 1;
      if (!inFrame.has(s)) {
        inFrame.add(s);
        c.starts.push([s, e.streamVersion]);
      }
      c.stream.push(s);
      c.meta.push(indexIn(metas, e.metaJson, () => head.metas.push(e.metaJson)));
      c.ids.push(e.id);
      c.data.push(e.dataJson);
      c.keys.push(e.dedupKey);
    }
    const json = Buffer.from(JSON.stringify(c));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(json.length);
    sections.push(Buffer.concat([length, json, leafPrefixes.subarray(from * LEAF_PREFIX_BYTES, to * LEAF_PREFIX_BYTES)]));
    counts.push(to - from);
    from = to;
  }
  sections.unshift(Buffer.from(JSON.stringify(head)));
  const tableEnd = TABLE_AT + sections.length * ENTRY_BYTES;
  const plan = Buffer.allocUnsafeSlow(tableEnd + sections.reduce((n, s) => n + s.length, 0));
  FRAMED_BLOCK_MAGIC.copy(plan, 0);
  plan.writeUInt32BE(sections.length, SECTION_COUNT_AT);
  let at = tableEnd;
  sections.forEach((s, i) => {
    const entry = TABLE_AT + i * ENTRY_BYTES;
    plan.writeUInt32BE(counts[i]!, entry);
    plan.writeUInt32BE(s.length, entry + 4);
    plan.writeUInt32BE(0, entry + 8);
    at += s.copy(plan, at);
  });
  return plan;
};

/**
 * The stored body from framedBlockPlan's output: each section deflated on its own (the frames
 * with the head as preset dictionary), its stored length and crc32 written into the table. The
 * SQLite writer thread runs the same steps in plain JavaScript (ledgerWriter.ts).
 */
export const compressBlock = (planBytes: Uint8Array): Buffer => {
  const plan = Buffer.from(planBytes.buffer, planBytes.byteOffset, planBytes.byteLength);
  const sections = plan.readUInt32BE(SECTION_COUNT_AT);
  const table = Buffer.from(plan.subarray(0, TABLE_AT + sections * ENTRY_BYTES));
  const parts: Buffer[] = [table];
  let at = table.length;
  let dictionary: Buffer | undefined;
  for (let i = 0; i < sections; i++) {
    const entry = TABLE_AT + i * ENTRY_BYTES;
    const raw = plan.subarray(at, (at += plan.readUInt32BE(entry + 4)));
    const stored = deflateRawSync(raw, dictionary === undefined ? { level: BLOCK_DEFLATE_LEVEL } : { level: BLOCK_DEFLATE_LEVEL, dictionary });
    dictionary ??= raw;
    table.writeUInt32BE(stored.length, entry + 4);
    table.writeUInt32BE(crc32(stored), entry + 8);
    parts.push(stored);
  }
  return Buffer.concat(parts);
};

export const encodeFramedBlock = (events: readonly BlockEvent[], leafPrefixes: Uint8Array, first: number): Buffer => compressBlock(framedBlockPlan(events, leafPrefixes, first));

interface Section {
  readonly events: number;
  readonly offset: number;
  readonly bytes: number;
  readonly crc: number;
}

/** The offset table, checked against the body's length and the head's event count. */
const sectionsOf = (body: Buffer): Section[] => {
  if (!isFramedBlock(body)) throw malformedBlock('it does not start as a framed block');
  const count = body.readUInt32BE(SECTION_COUNT_AT);
  const tableEnd = TABLE_AT + count * ENTRY_BYTES;
  if (count < 2 || tableEnd > body.length) throw malformedBlock(`its offset table of ${count} sections does not fit in its ${body.length} bytes`);
  const sections: Section[] = [];
  let offset = tableEnd;
  let framed = 0;
  for (let i = 0; i < count; i++) {
    const entry = TABLE_AT + i * ENTRY_BYTES;
    const s = { events: body.readUInt32BE(entry), offset, bytes: body.readUInt32BE(entry + 4), crc: body.readUInt32BE(entry + 8) };
    if (i > 0 && (s.events === 0 || s.events > FRAME_EVENTS)) throw malformedBlock(`its frame ${i} claims ${s.events} events`);
    if (i > 0) framed += s.events;
    offset += s.bytes;
    sections.push(s);
  }
  if (offset !== body.length) throw malformedBlock(`its offset table covers ${offset} bytes, not its ${body.length}`);
  if (framed !== sections[0]!.events) throw malformedBlock(`its frames hold ${framed} events, its head says ${sections[0]!.events}`);
  return sections;
};

const inflated = (body: Buffer, s: Section, name: string, dictionary?: Buffer): Buffer => {
  const stored = body.subarray(s.offset, s.offset + s.bytes);
  if (crc32(stored) !== s.crc) throw malformedBlock(`its ${name}'s bytes do not match their checksum`);
  try {
    return dictionary === undefined ? inflateRawSync(stored) : inflateRawSync(stored, { dictionary });
  } catch (e) {
    throw malformedBlock(`its ${name} does not inflate: ${e instanceof Error ? e.message : String(e)}`);
  }
};

const parsed = <T>(text: string, name: string): T => {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw malformedBlock(`its ${name} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
};

/** The events of frame `f` (1-based section index) and their leaf prefixes, into `events` from index `at`. */
const decodeFrame = (body: Buffer, s: Section, f: number, head: Head, headRaw: Buffer, events: BlockEvent[], at: number): Buffer => {
  const name = `frame ${f}`;
  const raw = inflated(body, s, name, headRaw);
  if (raw.length < 4) throw malformedBlock(`its ${name} is shorter than its header`);
  const length = raw.readUInt32BE(0);
  const c = parsed<FrameColumns>(raw.toString('utf8', 4, 4 + length), `${name}'s columns`);
  const n = s.events;
  const leafPrefixes = raw.subarray(4 + length);
  if (leafPrefixes.length !== n * LEAF_PREFIX_BYTES || c.ids?.length !== n || c.data?.length !== n || c.keys?.length !== n || c.kind?.length !== n || c.stream?.length !== n || c.meta?.length !== n) {
    throw malformedBlock(`the columns of its ${name} differ in length from its ${n} events`);
  }
  const nextVersion = new Map(c.starts);
  for (let i = 0; i < n; i++) {
    const kind = head.kinds[c.kind[i]!];
    const stream = head.streams[c.stream[i]!];
    const version = nextVersion.get(c.stream[i]!);
    const metaJson = head.metas[c.meta[i]!];
    if (kind === undefined || stream === undefined || version === undefined || metaJson === undefined) throw malformedBlock(`its ${name} refers to a dictionary entry the head does not hold`);
    nextVersion.set(c.stream[i]!, version + 1);
    events[at + i] = { id: c.ids[i]!, type: kind[0], schemaVersion: kind[1], stream, streamVersion: version, dataJson: c.data[i]!, metaJson, dedupKey: c.keys[i]! };
  }
  return leafPrefixes;
};

/** A block's events at indexes [from, from + events.length): the whole frames that hold the ones asked for. */
export interface DecodedSpan extends DecodedBlock {
  /** Index in the block of the span's first event. */
  readonly from: number;
}

/**
 * The frames holding the events at indexes [from, to) of the block (clamped to the block), decoded
 * alone: the head and those frames are inflated, no other. from = 0, to = Infinity decodes all.
 */
export const decodeFramedSpan = (bodyBytes: Uint8Array, from: number, to: number): DecodedSpan => {
  const body = Buffer.from(bodyBytes.buffer, bodyBytes.byteOffset, bodyBytes.byteLength);
  const sections = sectionsOf(body);
  const headRaw = inflated(body, sections[0]!, 'head');
  const head = parsed<Head>(headRaw.toString('utf8'), 'head');
  if (!Array.isArray(head.kinds) || !Array.isArray(head.streams) || !Array.isArray(head.metas)) throw malformedBlock('its head lacks a dictionary');
  const events: BlockEvent[] = [];
  const prefixes: Buffer[] = [];
  let start = 0;
  let spanFrom: number | undefined;
  for (let f = 1; f < sections.length; f++) {
    const s = sections[f]!;
    const end = start + s.events;
    if (end > from && start < to) {
      spanFrom ??= start;
      prefixes.push(decodeFrame(body, s, f, head, headRaw, events, start - spanFrom));
    }
    start = end;
  }
  return { from: spanFrom ?? start, events, leafPrefixes: prefixes.length === 1 ? prefixes[0]! : Buffer.concat(prefixes) };
};
