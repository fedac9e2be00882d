/**
 * The live views of a book: held against a brute-force reading of the same levels (every level
 * looked at, no reliance on the sort), and against what must hold of any book: bands nest, ratios
 * stay in [−1, 1], the consolidated book keeps every unit of quantity whatever the exchanges' order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookView, DEPTH_BANDS, topOfBook, type BookSides, type Level } from '../../../../src/domain/orderbook/views/bookView.js';
import { consolidate } from '../../../../src/domain/orderbook/views/consolidate.js';

/** A side of distinct prices (whole ticks of 0.5), sorted best first. */
const side = (from: number, to: number, descending: boolean): fc.Arbitrary<Level[]> =>
  fc
    .uniqueArray(fc.integer({ min: from, max: to }), { maxLength: 40 })
    .chain((ticks) => fc.tuple(fc.constant(ticks), fc.array(fc.double({ min: 0.001, max: 1000, noNaN: true }), { minLength: ticks.length, maxLength: ticks.length })))
    .map(([ticks, qty]) => ticks.map((t, i) => ({ price: t / 2, quantity: qty[i]! })).sort((a, b) => (descending ? b.price - a.price : a.price - b.price)));

/** An uncrossed book around 1,000: bids at or below 1,000, asks above. */
const book: fc.Arbitrary<BookSides> = fc.record({ bids: side(1900, 2000, true), asks: side(2001, 2100, false) });
/** Any sides, possibly crossed (a consolidated book's are). */
const anyBook: fc.Arbitrary<BookSides> = fc.record({ bids: side(1900, 2100, true), asks: side(1900, 2100, false) });

const bruteDepth = (b: BookSides, mid: number, band: number): { bid: number; ask: number } => ({
  bid: b.bids.filter((l) => l.price >= mid * (1 - band)).reduce((s, l) => s + l.quantity, 0),
  ask: b.asks.filter((l) => l.price <= mid * (1 + band)).reduce((s, l) => s + l.quantity, 0),
});

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

describe('bookView', () => {
  it('best levels, mid, spread and bps are those of the extreme prices', () => {
    fc.assert(
      fc.property(book, (b) => {
        const v = bookView(b);
        const maxBid = b.bids.length === 0 ? null : Math.max(...b.bids.map((l) => l.price));
        const minAsk = b.asks.length === 0 ? null : Math.min(...b.asks.map((l) => l.price));
        expect(v.bestBid?.price ?? null).toBe(maxBid);
        expect(v.bestAsk?.price ?? null).toBe(minAsk);
        if (maxBid === null || minAsk === null) {
          expect([v.mid, v.spread, v.spreadBps, v.imbalance]).toEqual([null, null, null, null]);
          expect(v.depth).toEqual([]);
          return;
        }
        expect(v.spread).toBe(minAsk - maxBid);
        expect(v.spread!).toBeGreaterThan(0);
        expect(close(v.spreadBps!, ((minAsk - maxBid) / ((minAsk + maxBid) / 2)) * 10_000)).toBe(true);
      }),
    );
  });

  it('depth in each band is every level inside it, the bands nest, and every imbalance is in [−1, 1]', () => {
    fc.assert(
      fc.property(anyBook, (b) => {
        const v = bookView(b);
        if (v.mid === null) return;
        v.depth.forEach((d, i) => {
          const want = bruteDepth(b, v.mid!, DEPTH_BANDS[i]!);
          expect(close(d.bidQuantity, want.bid)).toBe(true);
          expect(close(d.askQuantity, want.ask)).toBe(true);
          if (d.imbalance !== null) expect(Math.abs(d.imbalance)).toBeLessThanOrEqual(1);
          if (i > 0) {
            expect(d.bidQuantity).toBeGreaterThanOrEqual(v.depth[i - 1]!.bidQuantity);
            expect(d.askQuantity).toBeGreaterThanOrEqual(v.depth[i - 1]!.askQuantity);
          }
        });
        expect(v.depth.map((d) => d.percent)).toEqual([0.1, 0.5, 1]);
        expect(Math.abs(v.imbalance!)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('top of book keeps the best levels and the same touch', () => {
    fc.assert(
      fc.property(book, fc.integer({ min: 1, max: 50 }), (b, depth) => {
        const top = topOfBook(b, depth);
        expect(top.bids).toEqual(b.bids.slice(0, depth));
        expect(bookView(top).spread).toBe(bookView(b).spread);
      }),
    );
  });
});

describe('consolidate', () => {
  const total = (levels: readonly Level[]): number => levels.reduce((s, l) => s + l.quantity, 0);

  it('keeps every unit of quantity, sorted best first with one level per price, whatever the order of the books', () => {
    fc.assert(
      fc.property(fc.array(anyBook, { maxLength: 5 }), (books) => {
        const merged = consolidate(books);
        const reversed = consolidate(books.slice().reverse());
        expect(merged.bids.map((l) => l.price)).toEqual(reversed.bids.map((l) => l.price));
        merged.bids.forEach((l, i) => expect(close(l.quantity, reversed.bids[i]!.quantity)).toBe(true));
        expect(close(total(merged.bids), total(books.flatMap((b) => b.bids)))).toBe(true);
        expect(close(total(merged.asks), total(books.flatMap((b) => b.asks)))).toBe(true);
        for (let i = 1; i < merged.bids.length; i++) expect(merged.bids[i]!.price).toBeLessThan(merged.bids[i - 1]!.price);
        for (let i = 1; i < merged.asks.length; i++) expect(merged.asks[i]!.price).toBeGreaterThan(merged.asks[i - 1]!.price);
      }),
    );
  });

  it('has the best bid and ask of all books, and one book consolidates to itself', () => {
    fc.assert(
      fc.property(fc.array(book, { minLength: 1, maxLength: 5 }), (books) => {
        const v = bookView(consolidate(books));
        const bids = books.flatMap((b) => b.bids.map((l) => l.price));
        const asks = books.flatMap((b) => b.asks.map((l) => l.price));
        expect(v.bestBid?.price ?? null).toBe(bids.length === 0 ? null : Math.max(...bids));
        expect(v.bestAsk?.price ?? null).toBe(asks.length === 0 ? null : Math.min(...asks));
        expect(consolidate([books[0]!])).toEqual(books[0]);
      }),
    );
  });
});
