/** HBase row keys: byte order is (symbol, interval, time) order, and every key parses back. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metaRowKey, metaRowRange, parseViewRowKey, viewRowKey, viewRowRange, type RowInterval } from '../../../src/adapters/batch-store/hbase/rowKeys.js';
import { symbolArb } from '../../support/arbitraries.js';

const interval = fc.constantFrom<RowInterval>('1m', '1h', '1d');
const time = fc.integer({ min: 0, max: 4_102_444_800_000 }); // up to 2100
const inRange = (key: string, r: { start: string; end: string }): boolean => key >= r.start && key < r.end;

describe('HBase row keys', () => {
  it('parse back to what built them', () => {
    fc.assert(fc.property(symbolArb, interval, time, (s, i, t) => {
      expect(parseViewRowKey(viewRowKey(s, i, t))).toEqual({ symbol: s, interval: i, bucketStart: t });
    }));
  });

  it('sort like their times within a symbol and interval (fixed width)', () => {
    fc.assert(fc.property(symbolArb, interval, time, time, (s, i, a, b) => {
      expect(viewRowKey(s, i, a) < viewRowKey(s, i, b)).toBe(a < b);
    }));
  });

  it('a range holds exactly the keys of that symbol and interval with from ≤ t < to', () => {
    fc.assert(
      fc.property(symbolArb, symbolArb, interval, interval, time, time, time, (s, other, i, j, t, from, to) => {
        const expected = s === other && i === j && t >= from && t < to;
        expect(inRange(viewRowKey(other, j, t), viewRowRange(s, i, from, to))).toBe(expected);
      }),
    );
  });

  it('a view range holds exactly that view’s meta rows', () => {
    const view = fc.constantFrom('ohlcv', 'ohlcv2', 'other', 'ohlc');
    fc.assert(fc.property(view, view, symbolArb, (v, w, s) => {
      expect(inRange(metaRowKey(w, s), metaRowRange(v))).toBe(v === w);
    }));
  });

  it('refuse times and parts that would break the order', () => {
    expect(() => viewRowKey('BTC-USDT', '1m', -1)).toThrow(/non-negative/);
    expect(() => viewRowKey('BTC#USDT', '1m', 0)).toThrow(/without '#'/);
    expect(() => parseViewRowKey('BTC-USDT#5m#000000000000001')).toThrow(/not a view row key/);
  });
});
