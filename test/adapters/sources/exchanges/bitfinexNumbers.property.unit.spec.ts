/**
 * Bitfinex sends prices and amounts as JSON numbers written the way JavaScript writes them, so a
 * small one comes in exponent form (`1e-8`, `2.5e-7`). Its decoders read them into exact decimals
 * ("0.00000001"), and its book checksum is taken over the numbers as sent: the "WebSocket
 * Checksum" guide's procedure (parse the message, push price and amount, negated for asks, join
 * with ':', CRC32, signed), which is the reference here, run on the frames' parsed numbers.
 */
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBitfinexDecoder } from '../../../../src/adapters/sources/bitfinex/bitfinexMessage.js';
import { decodedItems, type WireDecoded } from '../../../../src/adapters/sources/wire/decoded.js';
import { bitfinexNumberText } from '../../../../src/domain/orderbook/bookChecksums.js';
import { BookKeeper, type BookEvent } from '../../../../src/domain/orderbook/bookKeeper.js';
import { BOOK_RULES } from '../../../../src/domain/orderbook/bookRules.js';

const NOW = Date.UTC(2024, 0, 1);
const BOOK = '{"event":"subscribed","channel":"book","chanId":17,"symbol":"tSHIB:USD","prec":"P0","freq":"F0","len":"25","pair":"SHIB:USD"}';
const TRADES = '{"event":"subscribed","channel":"trades","chanId":18,"symbol":"tSHIB:USD","pair":"SHIB:USD"}';
const connection = (): ((text: string) => WireDecoded) => {
  const d = createBitfinexDecoder('bitfinex', () => NOW);
  expect(d(BOOK)).toBe('skipped');
  expect(d(TRADES)).toBe('skipped');
  return d;
};
const items = (d: WireDecoded) => decodedItems(d);

/** A number as m·10^-k: JSON writes it in exponent form below 1e-6 ("5e-8"), plainly above. */
const numberArb = (maxK: number) => fc.tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: maxK })).map(([m, k]) => Number(`${m}e-${k}`));
/** The exact decimal of a JS number, written without an exponent. */
const plain = (n: number): string => {
  const s = String(n);
  const m = /^(\d)(?:\.(\d+))?e-(\d+)$/.exec(s);
  return m === null ? s : `0.${'0'.repeat(Number(m[3]) - 1)}${m[1]}${m[2] ?? ''}`;
};

describe('Bitfinex numbers in exponent form', () => {
  it('the writing of the numbers a frame carries: exponent form below 1e-6, as JavaScript writes them', () => {
    expect(JSON.stringify([1e-8, 2.5e-7, 0.000001, 0.0000015, 7254.7])).toBe('[1e-8,2.5e-7,0.000001,0.0000015,7254.7]');
    expect(bitfinexNumberText('0.00000001')).toBe('1e-8');
    expect(bitfinexNumberText('0.00000025')).toBe('2.5e-7');
    expect(bitfinexNumberText('0.000001')).toBe('0.000001');
    expect(bitfinexNumberText('7254.7')).toBe('7254.7');
    expect(bitfinexNumberText('1000000000000000000000')).toBe('1e+21');
  });

  it('a trade whose amount or price is in exponent form decodes to the exact decimal', () => {
    fc.assert(fc.property(numberArb(12), numberArb(12), fc.boolean(), (amount, price, sold) => {
      const d = connection();
      const [item] = items(d(`[18,"te",${JSON.stringify([401597395, 1574694478808, sold ? -amount : amount, price])}]`));
      expect(item).toEqual({ kind: 'trade', data: { exchange: 'bitfinex', symbol: 'SHIB-USD', tradeId: '401597395', price: plain(price), quantity: plain(amount), side: sold ? 'sell' : 'buy', eventTime: 1574694478808 } });
    }));
  });

  it('a book level in exponent form decodes to the exact decimal, and the checksum over the numbers as sent matches', () => {
    const levelArb = fc.tuple(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 9 }), numberArb(12));
    fc.assert(fc.property(fc.constantFrom(9, 6, 2, 0), fc.uniqueArray(levelArb, { selector: (l) => l[0], maxLength: 30 }), fc.uniqueArray(levelArb, { selector: (l) => l[0], maxLength: 30 }), (scale, bidRows, askRows) => {
      // Bids at ticks 1..200, asks at 201..400, times 10^-scale: tiny prices are in exponent form too.
      const bids = bidRows.map(([t, count, amount]) => [Number(`${t}e-${scale}`), count, amount] as const);
      const asks = askRows.map(([t, count, amount]) => [Number(`${t + 200}e-${scale}`), count, -amount] as const);
      const frame = `[17,${JSON.stringify([...bids, ...asks])}]`;
      const d = connection();
      const [snapshot] = items(d(frame));
      expect(snapshot).toMatchObject({ kind: 'bookSnapshot', data: { bids: bids.map(([p, , a]) => [plain(p), plain(a)]), asks: asks.map(([p, , a]) => [plain(p), plain(-a)]) } });
      // The guide's procedure, on the numbers as JSON.parse gives them.
      const parsed = JSON.parse(frame) as [number, Array<[number, number, number]>];
      const top = (rows: Array<[number, number, number]>, dir: number) => rows.filter((r) => Math.sign(r[2]) === dir).sort((x, y) => (y[0] - x[0]) * dir).slice(0, 25);
      const tb = top(parsed[1], 1);
      const ta = top(parsed[1], -1);
      const cs: number[] = [];
      for (let i = 0; i < 25; i++) {
        if (tb[i] !== undefined) cs.push(tb[i]![0], tb[i]![2]);
        if (ta[i] !== undefined) cs.push(ta[i]![0], ta[i]![2]);
      }
      const checksum = crc32(cs.join(':')) | 0;
      const keeper = new BookKeeper(BOOK_RULES.bitfinex(25), 'SHIB-USD');
      expect(keeper.apply(snapshot as BookEvent).kind).toBe('applied');
      const [check] = items(d(`[17,"cs",${checksum}]`));
      expect(keeper.apply(check as BookEvent)).toEqual({ kind: 'applied' });
    }), { numRuns: 200 });
  });
});
