/**
 * The flat book side (bookSide.ts: parallel arrays, levels in slots [start, end) that move on a
 * depth cut, grow and are compacted when full) holds exactly the levels of the naive Map-based
 * side (test/support/referenceBook.ts) after any sequence of level changes, depth cuts and
 * clears: the same levels in the same order, its best, its size; and, as the checksums rely on,
 * the levels above its change mark are those it had when the mark was reset, and a level that
 * changed is the only one whose checksum piece is asked for again.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFixed } from '../../../src/domain/decimal.js';
import { BookSide, UNCHANGED } from '../../../src/domain/orderbook/bookSide.js';
import { ReferenceBook } from '../../support/referenceBook.js';

/**
 * Prices on a grid of 300 ticks (more than the side's first arrays hold), written in any of the
 * ways an exchange might ("1.5", "1.50", "01.5"), so equal prices meet under different strings;
 * and prices that differ past a double's precision (the same key, a different price).
 */
const gridPriceArb = fc.tuple(fc.integer({ min: 1, max: 300 }), fc.nat(2), fc.nat(1)).map(([tick, trail, lead]) => {
  const [i, f] = (tick / 4).toFixed(2).replace(/0+$/, '').replace(/\.$/, '').split('.');
  const frac = (f ?? '') + '0'.repeat(trail);
  return '0'.repeat(lead) + i + (frac === '' ? '' : '.' + frac);
});
const nearTieArb = fc.constantFrom('0.99999999999999999', '1', '1.00000000000000001', '1.0000000000000001', '01.000000000000000010');
const priceArb = fc.oneof({ weight: 9, arbitrary: gridPriceArb }, { weight: 1, arbitrary: nearTieArb });
/** Mostly a quantity, so sides grow past their first arrays; a zero (a removal) one time in four. */
const qtyArb = fc.oneof({ weight: 1, arbitrary: fc.constantFrom('0', '0.000') }, { weight: 3, arbitrary: fc.integer({ min: 1, max: 999 }).map((n) => `${n / 100}`) });

type Op = { kind: 'set'; price: string; qty: string } | { kind: 'truncate'; depth: number } | { kind: 'clear' } | { kind: 'mark' };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  // Clears rare enough that a side fills its first arrays between two of them.
  { weight: 80, arbitrary: fc.record({ kind: fc.constant('set' as const), price: priceArb, qty: qtyArb }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('truncate' as const), depth: fc.integer({ min: 0, max: 40 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
  { weight: 10, arbitrary: fc.constant({ kind: 'mark' as const }) },
);

const ALL = Number.MAX_SAFE_INTEGER;

describe('the flat book side equals a Map-based side', () => {
  for (const name of ['bids', 'asks'] as const) {
    it(`${name}: after any changes, depth cuts and clears, the same levels in the same order`, () => {
      // `cut`: a depth cut after every change too (Kraken, Bitfinex), so the levels keep moving up their arrays.
      fc.assert(fc.property(fc.array(opArb, { maxLength: 400, size: 'max' }), fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }), (ops, cut) => {
        const side = new BookSide(name);
        let ref = new ReferenceBook();
        // The best-first view of the side as it stood when the change mark was last reset.
        let marked: Array<[string, string]> | undefined;
        for (const op of ops) {
          if (op.kind === 'set') {
            side.set(op.price, op.qty);
            ref.set(name, op.price, op.qty);
            if (cut !== undefined) {
              side.truncate(cut);
              ref.truncate(cut);
            }
          } else if (op.kind === 'truncate') {
            side.truncate(op.depth);
            ref.truncate(op.depth);
          } else if (op.kind === 'clear') {
            side.clear();
            ref = new ReferenceBook();
            marked = undefined;
          } else {
            side.changedFrom = UNCHANGED;
            marked = side.top(ALL);
          }
          const want = ref.top(ALL)[name];
          expect(side.top(ALL)).toEqual(want);
          expect(side.size).toBe(want.length);
          expect(side.best()).toEqual(want[0] === undefined ? undefined : { price: want[0][0], qty: want[0][1] });
          // Above the first changed level, the levels and their order are those of the mark.
          if (marked !== undefined) expect(side.top(side.changedFrom)).toEqual(marked.slice(0, side.changedFrom));
        }
      }), { numRuns: 100 });
    });
  }

  it('a level changed since the checksum last saw it has its piece asked for again (length -1), and only those', () => {
    fc.assert(fc.property(fc.array(fc.tuple(priceArb, qtyArb), { maxLength: 120 }), fc.array(fc.tuple(priceArb, qtyArb), { maxLength: 20 }), (before, after) => {
      const side = new BookSide('bids');
      for (const [p, q] of before) side.set(p, q);
      // As the checksum leaves them: every level's piece known (here a length that names the level).
      for (let i = 0, slot = side.bestSlot; i < side.size; i++, slot--) side.crcLengths[slot] = i;
      const lengthOf = new Map<string, number>();
      for (let i = 0, slot = side.bestSlot; i < side.size; i++, slot--) lengthOf.set(side.prices[slot]!, side.crcLengths[slot]!);
      for (const [p, q] of after) side.set(p, q);
      const touched = new Set(after.map(([p]) => parseFixed(p)));
      for (let i = 0, slot = side.bestSlot; i < side.size; i++, slot--) {
        const price = side.prices[slot]!;
        const kept = side.crcLengths[slot]!;
        if (touched.has(parseFixed(price))) expect(kept).toBe(-1);
        // An untouched level keeps its piece, wherever inserts and removals moved it.
        else expect(kept).toBe(lengthOf.get(price));
      }
    }));
  });
});
