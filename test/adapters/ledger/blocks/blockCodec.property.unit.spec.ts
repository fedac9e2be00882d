/**
 * The block codec: any events (any ids, types, streams, data and meta text, dedup keys or none,
 * streams interleaved) come back from a stored block exactly, and so do their canonical bytes and
 * leaf prefixes: what the tree hashed is reproducible from the block alone. Any event read
 * through the offset table (its frames alone) is the event the whole block decodes to. Malformed
 * blocks and corrupt frames are refused with a reason, never decoded into something else. Blocks
 * of the earlier format (one deflate stream) still decode, and the two are told apart.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockFormatOf, decodeBlock, decodeBlockSpan, encodeFramedBlock, FRAME_EVENTS, LEAF_PREFIX_BYTES, type BlockEvent } from '../../../../src/adapters/ledger/blocks/blockCodec.js';
import { canonicalBytesAt, eventRowOf, recordedEventsOf, storedBlockOf } from '../../../../src/adapters/ledger/blocks/storedBlock.js';
import { canonicalEventBytes, canonicalJson } from '../../../../src/domain/events/canonical.js';
import { leafHash } from '../../../../src/adapters/ledger/merkle/rfc6962.js';
import { FRAMED_BLOCK_LAYOUT } from '../../../../src/adapters/ledger/blocks/framedBlock.js';
import { encodeWholeBlock } from '../../../support/wholeBlockWriter.js';

/** Events with stream versions consecutive per stream, as one append group has them. */
const blockEvents = fc
  .array(
    fc.record({
      id: fc.string(),
      type: fc.constantFrom('TradeObserved', 'CandleObserved', 'AlertRaised', 'Noted'),
      schemaVersion: fc.integer({ min: 1, max: 3 }),
      stream: fc.constantFrom('trades/a/BTC/2024-01-01', 'trades/a/ETH/2024-01-01', 's', 'ü/😀'),
      data: fc.jsonValue(),
      meta: fc.constantFrom({ actor: 'a', correlationId: 'c', causationId: null, source: 's', recordedAt: 1 }, { actor: 'b', correlationId: 'd', causationId: 'x', source: 't', recordedAt: 2 }),
      dedupKey: fc.option(fc.string(), { nil: null }),
    }),
    // Up to a few frames, so blocks start, end and are cut anywhere relative to a frame.
    { minLength: 1, maxLength: 3 * FRAME_EVENTS },
  )
  .chain((raw) =>
    fc.record({ starts: fc.dictionary(fc.constantFrom(...new Set(raw.map((r) => r.stream))), fc.integer({ min: 1, max: 1e9 })), first: fc.oneof(fc.integer({ min: 1, max: 3 * FRAME_EVENTS }), fc.integer({ min: 1, max: 2 ** 40 })) }).map(({ starts, first }) => {
      const next = new Map(Object.entries(starts));
      const events: BlockEvent[] = raw.map((r) => {
        const v = next.get(r.stream) ?? 1;
        next.set(r.stream, v + 1);
        return { id: r.id, type: r.type, schemaVersion: r.schemaVersion, stream: r.stream, streamVersion: v, dataJson: canonicalJson(r.data), metaJson: canonicalJson(r.meta), dedupKey: r.dedupKey };
      });
      return { events, first };
    }),
  );

describe('block codec', () => {
  it('property: events round-trip exactly, with canonical bytes identical to those of the recorded events', () => {
    fc.assert(
      fc.property(blockEvents, ({ events, first }) => {
        // The leaves as the ledger computes them when it seals the group.
        const sealed = { first, recordedAt: 0, events, leafPrefixes: Buffer.alloc(0) };
        const leaves = events.map((_, i) => leafHash(canonicalBytesAt(sealed, i)));
        const prefixes = Buffer.concat(leaves.map((l) => l.subarray(0, LEAF_PREFIX_BYTES)));
        const body = encodeFramedBlock(events, prefixes, first);
        expect(blockFormatOf(body)).toBe(2);
        const decoded = decodeBlock(body);
        expect(decoded.events).toEqual(events);
        expect(decoded.leafPrefixes.equals(prefixes)).toBe(true);
        const block = storedBlockOf(first, 0, body);
        recordedEventsOf(block).forEach((r, i) => {
          // The recorded event's own canonical bytes are the block's bytes for it, and hash to its leaf.
          expect(canonicalEventBytes(r)).toBe(canonicalBytesAt(block, i));
          expect(r.leafHash).toBe(leafHash(canonicalBytesAt(block, i)).toString('hex'));
          expect(eventRowOf(block, i).leaf_hash.equals(leafHash(canonicalBytesAt(block, i)).subarray(0, LEAF_PREFIX_BYTES))).toBe(true);
        });
      }),
      { numRuns: 200 },
    );
  });

  /** A block as the ledger stores it, with the leaf prefixes of its events. */
  const stored = blockEvents.map(({ events, first }) => {
    const prefixes = Buffer.concat(events.map((_, i) => leafHash(`${first + i}`).subarray(0, LEAF_PREFIX_BYTES)));
    return { events, first, prefixes, body: encodeFramedBlock(events, prefixes, first) };
  });

  it('property: any run of events read through the offset table is what the whole block decodes to, from the frames that hold it alone (aligned on the tree)', () => {
    fc.assert(
      fc.property(stored, fc.nat(), fc.nat(2 * FRAME_EVENTS), ({ events, first, prefixes, body }, at, length) => {
        const from = at % events.length;
        const to = Math.min(events.length, from + 1 + length);
        const span = decodeBlockSpan(body, from, to);
        expect(span.from).toBeLessThanOrEqual(from);
        expect(span.from + span.events.length).toBeGreaterThanOrEqual(to);
        // Whole frames: it starts at the block's start or on a frame boundary of the tree, and has no frame it was not asked for.
        expect(span.from === 0 || (first + span.from - 1) % FRAME_EVENTS === 0).toBe(true);
        expect(span.events.length).toBeLessThan(to - from + 2 * FRAME_EVENTS);
        expect(span.events).toEqual(events.slice(span.from, span.from + span.events.length));
        expect(span.leafPrefixes.equals(prefixes.subarray(span.from * LEAF_PREFIX_BYTES, (span.from + span.events.length) * LEAF_PREFIX_BYTES))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('property: a corrupt byte anywhere past the first is refused with the reason (no event read from it); a frame it does not touch still reads', () => {
    fc.assert(
      fc.property(stored, fc.nat(), fc.integer({ min: 1, max: 255 }), ({ events, body }, at, flip) => {
        const offset = 1 + (at % (body.length - 1));
        const corrupt = Buffer.from(body);
        corrupt[offset]! ^= flip;
        expect(() => decodeBlock(corrupt)).toThrow(/a stored ledger block is malformed \(.+\).*tickvault verify/);
        // The last event's frame, when the flip lies in another frame's bytes, still reads.
        const { sectionCountAt, tableAt, entryBytes } = FRAMED_BLOCK_LAYOUT;
        const sections = body.readUInt32BE(sectionCountAt);
        const storedBytes = (section: number): number => body.readUInt32BE(tableAt + section * entryBytes + 4);
        const framesStart = tableAt + sections * entryBytes + storedBytes(0);
        const lastFrameStart = body.length - storedBytes(sections - 1);
        if (offset >= framesStart && offset < lastFrameStart) {
          expect(decodeBlockSpan(corrupt, events.length - 1, events.length)).toEqual(decodeBlockSpan(body, events.length - 1, events.length));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('property: a block of the earlier format (one deflate stream) is told apart and decodes, whole or for any one event', () => {
    fc.assert(
      fc.property(stored, fc.nat(), ({ events, prefixes }, at) => {
        const whole = encodeWholeBlock(events, prefixes);
        expect(blockFormatOf(whole)).toBe(1);
        const decoded = decodeBlock(whole);
        expect(decoded.events).toEqual(events);
        expect(decoded.leafPrefixes.equals(prefixes)).toBe(true);
        const i = at % events.length;
        const span = decodeBlockSpan(whole, i, i + 1);
        expect(span.events[i - span.from]).toEqual(events[i]);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a block whose versions of one stream are not consecutive, and bodies that are not blocks', () => {
    const e = (v: number): BlockEvent => ({ id: 'i', type: 't', schemaVersion: 1, stream: 's', streamVersion: v, dataJson: '{}', metaJson: '{}', dedupKey: null });
    expect(() => encodeFramedBlock([e(1), e(3)], Buffer.alloc(8), 1)).toThrow(/stream s goes from version 1 to 3/);
    // Across a frame boundary too (position 64 ends the first frame).
    expect(() => encodeFramedBlock([e(1), e(2), e(4)], Buffer.alloc(12), 63)).toThrow(/stream s goes from version 2 to 4/);
    expect(() => encodeFramedBlock([e(1)], Buffer.alloc(3), 1)).toThrow(/needs 4 leaf prefix bytes/);
    expect(() => decodeBlock(Buffer.from('not a block'))).toThrow(/malformed.*tickvault verify/);
    const framed = encodeFramedBlock([e(1), e(2)], Buffer.alloc(8), 1);
    expect(() => decodeBlock(framed.subarray(0, framed.length - 4))).toThrow(/malformed \(its offset table covers/);
    const frameByte = Buffer.from(framed);
    frameByte[frameByte.length - 1]! ^= 1;
    expect(() => decodeBlock(frameByte)).toThrow(/malformed \(its frame 1's bytes do not match their checksum\)/);
    const whole = encodeWholeBlock([e(1), e(2)], Buffer.alloc(8));
    expect(() => decodeBlock(whole.subarray(0, whole.length - 4))).toThrow(/malformed/);
  });
});
