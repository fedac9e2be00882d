/**
 * The book checksums take up their chain at the first level changed since the last one
 * (bookChecksums.ts): whatever changes come between two checksums (inserts, removals, quantity
 * changes, a depth cut, a new snapshot), each equals the checksum computed from scratch over the
 * same book by the independent reference (test/support/bookStreams.ts: plain strings, zlib).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitfinexChecksum, krakenChecksum, okxChecksum } from '../../../src/domain/orderbook/bookChecksums.js';
import { OrderBook } from '../../../src/domain/orderbook/orderBook.js';
import { referenceBitfinexChecksum, referenceKrakenChecksum, referenceOkxChecksum } from '../../support/bookStreams.js';
import { ReferenceBook } from '../../support/referenceBook.js';

const priceOf = (tick: number): string => `${Math.floor(tick / 10)}.${tick % 10}`;
const qtyArb = fc.constantFrom('0', '0.001', '1.5', '0.00100000', '12', '3.14159');
/** 60 ticks a side, so a side often holds more levels than a checksum covers. */
const changeArb = fc.oneof(
  fc.tuple(fc.constant('bids' as const), fc.integer({ min: 1, max: 60 }).map(priceOf), qtyArb),
  fc.tuple(fc.constant('asks' as const), fc.integer({ min: 61, max: 120 }).map(priceOf), qtyArb),
);
/** A message: its changes, whether a checksum is taken after it, whether it is a whole new book. */
const stepArb = fc.record({ changes: fc.array(changeArb, { minLength: 0, maxLength: 5 }), check: fc.boolean(), snapshot: fc.nat(9).map((n) => n === 0) });

const cases = [
  { name: 'kraken', depth: 10, ours: krakenChecksum, reference: referenceKrakenChecksum },
  { name: 'okx', depth: undefined, ours: okxChecksum, reference: referenceOkxChecksum },
  { name: 'bitfinex', depth: 25, ours: bitfinexChecksum, reference: referenceBitfinexChecksum },
] as const;

describe('a book checksum taken up at the first changed level equals the checksum from scratch', () => {
  for (const { name, depth, ours, reference } of cases) {
    it(name, () => {
      fc.assert(fc.property(fc.array(stepArb, { maxLength: 120 }), (steps) => {
        const book = new OrderBook(name, 'BTC-USDT', depth);
        let ref = new ReferenceBook();
        for (const { changes, check, snapshot } of steps) {
          if (snapshot) ref = new ReferenceBook();
          for (const [side, p, q] of changes) ref.set(side, p, q);
          if (depth !== undefined) ref.truncate(depth);
          const bids = changes.filter((c) => c[0] === 'bids').map((c): [string, string] => [c[1], c[2]]);
          const asks = changes.filter((c) => c[0] === 'asks').map((c): [string, string] => [c[1], c[2]]);
          if (snapshot) book.replace(bids, asks);
          else book.change(bids, asks);
          if (check) expect(ours(book)).toBe(reference(ref));
        }
        expect(ours(book)).toBe(reference(ref));
      }), { numRuns: 200 });
    });
  }
});
