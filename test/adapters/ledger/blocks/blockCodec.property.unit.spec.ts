/**
 * The block codec: any events (any ids, types, streams, data and meta text, dedup keys or none,
 * streams interleaved) come back from a stored block exactly, and so do their canonical bytes and
 * leaf prefixes: what the tree hashed is reproducible from the block alone. Malformed blocks are
 * refused with a reason, never decoded into something else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBlock, encodeBlock, LEAF_PREFIX_BYTES, type BlockEvent } from '../../../../src/adapters/ledger/blocks/blockCodec.js';
import { canonicalBytesAt, eventRowOf, recordedEventsOf, storedBlockOf } from '../../../../src/adapters/ledger/blocks/storedBlock.js';
import { canonicalEventBytes, canonicalJson } from '../../../../src/domain/events/canonical.js';
import { leafHash } from '../../../../src/adapters/ledger/merkle/rfc6962.js';

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
    { minLength: 1, maxLength: 60 },
  )
  .chain((raw) =>
    fc.record({ starts: fc.dictionary(fc.constantFrom(...new Set(raw.map((r) => r.stream))), fc.integer({ min: 1, max: 1e9 })), first: fc.integer({ min: 1, max: 2 ** 40 }) }).map(({ starts, first }) => {
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
        const body = encodeBlock(events, prefixes);
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
      { numRuns: 300 },
    );
  });

  it('refuses a block whose versions of one stream are not consecutive, and bodies that are not blocks', () => {
    const e = (v: number): BlockEvent => ({ id: 'i', type: 't', schemaVersion: 1, stream: 's', streamVersion: v, dataJson: '{}', metaJson: '{}', dedupKey: null });
    expect(() => encodeBlock([e(1), e(3)], Buffer.alloc(8))).toThrow(/stream s goes from version 1 to 3/);
    expect(() => encodeBlock([e(1)], Buffer.alloc(3))).toThrow(/needs 4 leaf prefix bytes/);
    expect(() => decodeBlock(Buffer.from('not a block'))).toThrow(/malformed.*tickvault verify/);
    const truncated = encodeBlock([e(1), e(2)], Buffer.alloc(8));
    expect(() => decodeBlock(truncated.subarray(0, truncated.length - 4))).toThrow(/malformed/);
  });
});
