/** The speed fold: watermarks, lateness and order independence within the lateness bound. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFixed } from '../../src/domain/decimal.js';
import { slotCandle } from '../../src/domain/folds/minuteSlot.js';
import { evictExpired, foldKline, foldTrade, newSeries, type SpeedPolicy } from '../../src/domain/folds/series.js';
import type { TradeData } from '../../src/domain/events/market.js';
import { T0, uniqueTradesArb } from '../support/arbitraries.js';

const policy: SpeedPolicy = { allowedLatenessMs: 10_000, retentionMs: 3_600_000 };
const oneSeries = { exchange: fc.constant('binance'), symbol: fc.constant('BTC-USDT') };

const fold = (trades: readonly TradeData[], p: SpeedPolicy = policy) => {
  const s = newSeries('binance', 'BTC-USDT');
  const outcomes = trades.map((t, i) => foldTrade(s, t, i + 1, p));
  const candles = [...s.minutes.entries()].sort(([a], [b]) => a - b).map(([m, slot]) => [m, slotCandle(slot)]);
  return { s, outcomes, candles };
};

/** Reorders trades so that each is displaced by less than `bound` ms of event time from sorted order. */
const boundedShuffle = (sorted: TradeData[], keys: number[], bound: number): TradeData[] =>
  sorted
    .map((t, i) => ({ t, k: t.eventTime + ((keys[i] ?? 0) % bound) }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.t);

describe('speed series fold', () => {
  it('any arrival order within the lateness bound gives the same candles and no late events', () => {
    fc.assert(
      fc.property(
        uniqueTradesArb(150, { ...oneSeries, eventTime: fc.integer({ min: T0, max: T0 + 600_000 }) }),
        fc.array(fc.nat(), { minLength: 150, maxLength: 150 }),
        (trades, keys) => {
          const sorted = [...trades].sort((a, b) => a.eventTime - b.eventTime);
          const shuffled = boundedShuffle(sorted, keys, policy.allowedLatenessMs);
          const a = fold(sorted);
          const b = fold(shuffled);
          expect(b.outcomes.every((o) => o === 'applied')).toBe(true);
          expect(b.candles).toEqual(a.candles);
          expect(b.s.latest?.tradeId).toBe(a.s.latest?.tradeId);
        },
      ),
    );
  });

  it('counts an event for a closed minute as late and leaves the closed candle unchanged', () => {
    const s = newSeries('binance', 'BTC-USDT');
    const base = { exchange: 'binance', symbol: 'BTC-USDT', side: 'buy' as const, quantity: '1' };
    expect(foldTrade(s, { ...base, tradeId: '1', price: '100', eventTime: T0 + 1_000 }, 1, policy)).toBe('applied');
    expect(foldTrade(s, { ...base, tradeId: '2', price: '101', eventTime: T0 + 120_000 }, 2, policy)).toBe('applied');
    const before = slotCandle(s.minutes.get(T0)!);
    expect(foldTrade(s, { ...base, tradeId: '3', price: '90', eventTime: T0 + 5_000 }, 3, policy)).toBe('late');
    expect(slotCandle(s.minutes.get(T0)!)).toEqual(before);
    expect(s.lateEvents).toBe(1);
  });

  it('prefers the exchange kline over trades for the same minute, and never adds both', () => {
    const s = newSeries('binance', 'BTC-USDT');
    foldTrade(s, { exchange: 'binance', symbol: 'BTC-USDT', side: 'buy', quantity: '1', tradeId: '1', price: '100', eventTime: T0 + 1 }, 1, policy);
    foldKline(s, { exchange: 'binance', symbol: 'BTC-USDT', interval: '1m', openTime: T0, open: '99', high: '102', low: '98', close: '101', volume: '5', quoteVolume: '500', trades: 7 }, policy);
    const c = slotCandle(s.minutes.get(T0)!)!;
    expect([c.open, c.high, c.low, c.close, c.trades]).toEqual([99, 102, 98, 101, 7]);
  });

  it("gives a kline minute its trades' taker volumes: the kline does not say who took liquidity", () => {
    const s = newSeries('binance', 'BTC-USDT');
    const kline = { exchange: 'binance', symbol: 'BTC-USDT', interval: '1m' as const, openTime: T0, open: '99', high: '102', low: '98', close: '101', volume: '5', quoteVolume: '500', trades: 7 };
    foldKline(s, kline, policy);
    expect(slotCandle(s.minutes.get(T0)!)!.takerBuyVolume).toBe(0n);
    foldTrade(s, { exchange: 'binance', symbol: 'BTC-USDT', side: 'buy', quantity: '1.5', tradeId: '1', price: '100', eventTime: T0 + 1 }, 1, policy);
    foldTrade(s, { exchange: 'binance', symbol: 'BTC-USDT', side: 'sell', quantity: '0.25', tradeId: '2', price: '100', eventTime: T0 + 2 }, 2, policy);
    const c = slotCandle(s.minutes.get(T0)!)!;
    expect([c.volume, c.takerBuyVolume, c.takerSellVolume]).toEqual([parseFixed('5'), parseFixed('1.5'), parseFixed('0.25')]);
  });

  it('evicts minutes past the retention and reports that coverage moved', () => {
    const s = newSeries('binance', 'BTC-USDT');
    const p = { allowedLatenessMs: 0, retentionMs: 120_000 };
    for (let i = 0; i < 10; i++) {
      foldTrade(s, { exchange: 'binance', symbol: 'BTC-USDT', side: 'sell', quantity: '1', tradeId: String(i), price: '1', eventTime: T0 + i * 60_000 }, i + 1, p);
    }
    const evicted = evictExpired(s, p);
    expect(evicted.length).toBeGreaterThan(0);
    expect(Math.min(...s.minutes.keys())).toBeGreaterThanOrEqual(s.coveredFrom);
    expect(s.coveredFrom).toBe(T0 + 9 * 60_000 - 120_000);
  });
});
