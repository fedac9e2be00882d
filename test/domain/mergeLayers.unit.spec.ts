/** The serving layer's merge rule: batch before computedThrough, speed after, gaps reported. */
import { describe, expect, it } from 'vitest';
import { candleOfTrade, type Candle } from '../../src/domain/folds/candle.js';
import { mergeLayers } from '../../src/domain/folds/mergeLayers.js';
import { T0 } from '../support/arbitraries.js';

const MIN = 60_000;
const minute = (i: number, price: string): Candle => candleOfTrade({ eventTime: T0 + i * MIN, key: String(i), price, quantity: '1', side: 'buy' }, '1m');
const minutes = (from: number, to: number, price: string): Candle[] => Array.from({ length: to - from }, (_, k) => minute(from + k, price));

describe('mergeLayers', () => {
  it('takes batch minutes before the boundary and speed minutes from it on', () => {
    const r = mergeLayers({
      interval: '1m', from: T0, to: T0 + 10 * MIN, boundary: T0 + 6 * MIN,
      batchCandles: minutes(0, 8, '1'), batchMinutes: [], speedMinutes: minutes(4, 10, '2'), speedCoveredFrom: T0 + 4 * MIN,
    });
    expect(r.candles.map((c) => c.close)).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect(r.sources).toEqual([{ layer: 'batch', from: T0, to: T0 + 6 * MIN }, { layer: 'speed', from: T0 + 6 * MIN, to: T0 + 10 * MIN }]);
    expect(r.gaps).toEqual([]);
  });

  it('merges both layers inside the bucket that straddles the boundary', () => {
    const r = mergeLayers({
      interval: '1h', from: T0, to: T0 + 60 * MIN, boundary: T0 + 30 * MIN,
      batchCandles: [], batchMinutes: minutes(0, 30, '1'), speedMinutes: minutes(30, 60, '2'), speedCoveredFrom: T0,
    });
    expect(r.candles).toHaveLength(1);
    expect(r.candles[0]!.trades).toBe(60);
    expect([r.candles[0]!.open, r.candles[0]!.close]).toEqual([1, 2]);
  });

  it('keeps the straddling bucket when the boundary lies beyond the asked range', () => {
    const r = mergeLayers({
      interval: '1h', from: T0, to: T0 + 20 * MIN, boundary: T0 + 50 * MIN,
      batchCandles: [], batchMinutes: minutes(0, 50, '1'), speedMinutes: [], speedCoveredFrom: T0,
    });
    expect(r.candles).toHaveLength(1);
    expect(r.candles[0]!.trades).toBe(50);
  });

  it('reports the part neither layer covers as a gap instead of returning less silently', () => {
    const r = mergeLayers({
      interval: '1m', from: T0, to: T0 + 10 * MIN, boundary: T0 + 2 * MIN,
      batchCandles: minutes(0, 2, '1'), batchMinutes: [], speedMinutes: minutes(5, 10, '2'), speedCoveredFrom: T0 + 5 * MIN,
    });
    expect(r.gaps).toHaveLength(1);
    expect(r.gaps[0]).toMatchObject({ from: T0 + 2 * MIN, to: T0 + 5 * MIN });
    expect(r.candles).toHaveLength(7);
  });

  it('with no batch view and a speed layer that starts late, the start is a gap with the reason given', () => {
    const r = mergeLayers({
      interval: '5m', from: T0, to: T0 + 20 * MIN, boundary: Number.NEGATIVE_INFINITY,
      batchCandles: [], batchMinutes: [], speedMinutes: minutes(10, 20, '3'), speedCoveredFrom: T0 + 10 * MIN,
      batchUnavailableReason: 'batch store unavailable: down',
    });
    expect(r.gaps).toEqual([{ from: T0, to: T0 + 10 * MIN, reason: 'batch store unavailable: down' }]);
    expect(r.candles.map((c) => c.bucketStart)).toEqual([T0 + 10 * MIN, T0 + 15 * MIN]);
  });
});
