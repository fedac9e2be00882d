/**
 * The block layout both ledgers store: for any group of sealed events (UUIDv7 ids and others,
 * numbered dedup keys in and out of order, keys that are not numbered, several streams), the
 * block decodes to the same events and leaves, and its index rows find every event again: each
 * id by its millisecond or its hash, each dedup key by its scope's range or its hash; each
 * stream's row holds its version after the block; the type list names every type.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compressBlock, decodeBlock, LEAF_PREFIX_BYTES } from '../../../../src/adapters/ledger/blocks/blockCodec.js';
import { createBlockLayout } from '../../../../src/adapters/ledger/blocks/blockLayout.js';
import { createDedupMarks, scopedNumberOf } from '../../../../src/adapters/ledger/blocks/dedupMarks.js';
import { dedupKeyHash, idHash, uuidV7Millisecond } from '../../../../src/adapters/ledger/blocks/keyHash.js';
import { createMetaStamper, sealEvent } from '../../../../src/adapters/ledger/sealEvent.js';

const uuidV7 = (ms: number, n: number): string => {
  const hex = ms.toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${n.toString(16).padStart(3, '0').slice(-3)}-8000-${'0'.repeat(12)}`;
};

const groupEvents = fc.array(
  fc.record({
    id: fc.oneof(fc.tuple(fc.integer({ min: 1_700_000_000_000, max: 1_700_000_000_020 }), fc.nat(4095)).map(([ms, n]) => uuidV7(ms, n)), fc.string({ minLength: 1 })),
    stream: fc.constantFrom('trades/a/BTC', 'trades/a/ETH', 'rules/x'),
    type: fc.constantFrom('TradeObserved', 'RuleDefined'),
    dedupKey: fc.option(fc.oneof(fc.tuple(fc.constantFrom('trade/a/BTC/', 'trade/a/ETH/'), fc.nat(60)).map(([s, n]) => `${s}${n}`), fc.string()), { nil: undefined }),
  }),
  { minLength: 1, maxLength: 80 },
);

/** The rule scopedNumberOf implements, as its comment states it: a plain decimal last segment that is a safe integer. */
const scopedNumberByPattern = (key: string) => {
  const slash = key.lastIndexOf('/');
  const last = key.slice(slash + 1);
  if (!/^(?:0|[1-9][0-9]{0,15})$/.test(last)) return undefined;
  const n = Number(last);
  return Number.isSafeInteger(n) ? { scope: key.slice(0, slash + 1), n } : undefined;
};

describe('dedup key numbers', () => {
  it('property: read digit by digit, a key has the scope and number the pattern gives it (or none, when the pattern refuses it)', () => {
    const segment = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: 18 });
    const key = fc.tuple(fc.constantFrom('', 'trade/binance/BTC-USDT/', 'a/', '/', 'x'), fc.oneof(segment, fc.string({ maxLength: 18 }), fc.bigInt({ min: 0n, max: 2n ** 60n }).map(String)))
      .map(([scope, last]) => scope + last);
    fc.assert(fc.property(key, (k) => {
      expect(scopedNumberOf(k)).toEqual(scopedNumberByPattern(k));
    }), { numRuns: 5_000 });
    for (const edge of ['s/9007199254740991', 's/9007199254740992', 's/9007199254740993', 's/9999999999999999', 's/0', 's/00', 's/01', 's/', 's']) {
      expect(scopedNumberOf(edge)).toEqual(scopedNumberByPattern(edge));
    }
  });
});

describe('block layout', () => {
  it('property: the block decodes to the sealed events, and its index rows find every id, key, stream and type', () => {
    fc.assert(
      fc.property(groupEvents, fc.dictionary(fc.constantFrom('trade/a/BTC/', 'trade/a/ETH/'), fc.nat(40)), (raw, stored) => {
        const marks = createDedupMarks(new Map(Object.entries(stored)));
        const layout = createBlockLayout(marks);
        const stamp = createMetaStamper(5);
        const meta = { actor: 'a', correlationId: 'c', causationId: null, source: 't' };
        const versions = new Map<string, number>();
        const seen = new Set<string>();
        const sealed = raw
          // A group never stores one dedup key twice (the ledger's decision, before the layout).
          .filter((e) => e.dedupKey === undefined || (!seen.has(e.dedupKey) && seen.add(e.dedupKey) !== undefined))
          .map((e, i) => {
            const version = (versions.get(e.stream) ?? 0) + 1;
            versions.set(e.stream, version);
            const s = sealEvent({ ...e, schemaVersion: 1, data: { i }, meta }, 100 + i, version, stamp(meta));
            layout.add(s);
            return s;
          });
        const block = layout.finish();
        expect(block.count).toBe(sealed.length);
        const decoded = decodeBlock(compressBlock(block.raw));
        expect(decoded.events.map((e) => [e.id, e.stream, e.streamVersion, e.dedupKey])).toEqual(sealed.map((s) => [s.recorded.id, s.recorded.stream, s.recorded.streamVersion, s.recorded.dedupKey]));
        expect(decoded.leafPrefixes).toEqual(Buffer.concat(sealed.map((s) => s.leaf.subarray(0, LEAF_PREFIX_BYTES))));
        expect(block.leaves).toEqual(sealed.map((s) => s.leaf));
        const hashes = new Set(block.keyHashes);
        for (const { recorded } of sealed) {
          const ms = uuidV7Millisecond(recorded.id);
          expect(ms === undefined ? hashes.has(idHash(recorded.id)) : block.idTimes.includes(ms)).toBe(true);
          if (recorded.dedupKey === null) continue;
          const n = scopedNumberOf(recorded.dedupKey);
          const inRange = n !== undefined && block.ranges.some(([scope, lo, hi]) => scope === n.scope && lo <= n.n && n.n <= hi);
          expect(inRange || hashes.has(dedupKeyHash(recorded.dedupKey))).toBe(true);
          // A key at or below its scope's stored mark is never covered by a new range: ranges of a scope never overlap.
          if (n !== undefined && stored[n.scope] !== undefined && n.n <= stored[n.scope]!) expect(inRange).toBe(false);
        }
        expect(new Map(block.streams)).toEqual(versions);
        expect(new Set(block.types)).toEqual(new Set(sealed.map((s) => s.recorded.type)));
      }),
    );
  });
});
