import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../src/domain/orderbook/orderBook.js';
import { ReferenceBook } from '../../support/referenceBook.js';

/** A price on a small grid, written in any of the ways an exchange might: "1.5", "1.50", "01.5". */
const priceArb = fc.tuple(fc.integer({ min: 0, max: 30 }), fc.nat(2), fc.nat(1)).map(([tick, trail, lead]) => {
  const [i, f] = (tick / 4).toFixed(2).replace(/0+$/, '').replace(/\.$/, '').split('.');
  const frac = (f ?? '') + '0'.repeat(trail);
  return '0'.repeat(lead) + i + (frac === '' ? '' : '.' + frac);
});
const qtyArb = fc.oneof(fc.constantFrom('0', '0.000'), fc.integer({ min: 1, max: 999 }).map((n) => `${n / 100}`));
const opArb = fc.tuple(fc.constantFrom('bids' as const, 'asks' as const), priceArb, qtyArb);

describe('order book', () => {
  it('after any changes, every level and its order equal the naive book\'s (exact prices, any spelling)', () => {
    fc.assert(fc.property(fc.array(opArb, { maxLength: 200 }), fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }), (ops, depth) => {
      const book = new OrderBook('binance', 'BTC-USDT', depth);
      const ref = new ReferenceBook();
      for (const [side, price, qty] of ops) {
        book.change(side === 'bids' ? [[price, qty]] : [], side === 'asks' ? [[price, qty]] : []);
        ref.set(side, price, qty);
        if (depth !== undefined) ref.truncate(depth);
      }
      const all = Number.MAX_SAFE_INTEGER;
      expect(book.top(all)).toEqual(ref.top(all));
      expect(book.bestBid()?.price).toBe(ref.top(1).bids[0]?.[0]);
      expect(book.bestAsk()?.price).toBe(ref.top(1).asks[0]?.[0]);
    }));
  });

  it('a snapshot replaces the whole book', () => {
    fc.assert(fc.property(fc.array(opArb, { maxLength: 50 }), fc.array(opArb, { maxLength: 50 }), (before, snapshot) => {
      const book = new OrderBook('okx', 'BTC-USDT');
      for (const [side, p, q] of before) book.change(side === 'bids' ? [[p, q]] : [], side === 'asks' ? [[p, q]] : []);
      const ref = new ReferenceBook();
      for (const [side, p, q] of snapshot) ref.set(side, p, q);
      book.replace(snapshot.filter((o) => o[0] === 'bids').map((o) => [o[1], o[2]]), snapshot.filter((o) => o[0] === 'asks').map((o) => [o[1], o[2]]));
      expect(book.top(1000)).toEqual(ref.top(1000));
    }));
  });
});
