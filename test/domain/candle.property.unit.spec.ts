/** The candle monoid: invariants, exact volumes, and independence from order and grouping. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFixed } from '../../src/domain/decimal.js';
import { addTradeToCandle, candleOfTrade, mergeCandles, rollUp, type Candle } from '../../src/domain/folds/candle.js';
import type { TradeData } from '../../src/domain/events/market.js';
import { INTERVALS, bucketStart, type Interval } from '../../src/domain/time.js';
import { uniqueTradesArb } from '../support/arbitraries.js';

const point = (t: TradeData) => ({ eventTime: t.eventTime, key: t.tradeId, price: t.price, quantity: t.quantity, side: t.side });

/** Reference implementation, written independently: group, then sort each bucket by (time, id). */
const reference = (trades: TradeData[], interval: Interval): Map<number, { o: number; h: number; l: number; c: number; v: bigint; tb: bigint; ts: bigint; n: number }> => {
  const groups = new Map<number, TradeData[]>();
  for (const t of trades) {
    const b = bucketStart(t.eventTime, interval);
    groups.set(b, [...(groups.get(b) ?? []), t]);
  }
  const out = new Map<number, { o: number; h: number; l: number; c: number; v: bigint; tb: bigint; ts: bigint; n: number }>();
  for (const [b, ts] of groups) {
    const sorted = [...ts].sort((x, y) => x.eventTime - y.eventTime || (BigInt(x.tradeId) < BigInt(y.tradeId) ? -1 : 1));
    out.set(b, {
      o: Number(sorted[0]!.price),
      c: Number(sorted[sorted.length - 1]!.price),
      h: Math.max(...ts.map((t) => Number(t.price))),
      l: Math.min(...ts.map((t) => Number(t.price))),
      v: ts.reduce((a, t) => a + parseFixed(t.quantity)!, 0n),
      tb: ts.filter((t) => t.side === 'buy').reduce((a, t) => a + parseFixed(t.quantity)!, 0n),
      ts: ts.filter((t) => t.side === 'sell').reduce((a, t) => a + parseFixed(t.quantity)!, 0n),
      n: ts.length,
    });
  }
  return out;
};

const foldAll = (trades: readonly TradeData[], interval: Interval): Candle[] =>
  rollUp(trades.map((t) => candleOfTrade(point(t), interval)), interval);

const oneSeries = { exchange: fc.constant('binance'), symbol: fc.constant('BTC-USDT') };

describe('candle fold', () => {
  it('agrees with an independent reference (open/close by event time then trade id, exact volume and taker volumes)', () => {
    fc.assert(
      fc.property(uniqueTradesArb(150, oneSeries), fc.constantFrom(...INTERVALS), (trades, interval) => {
        const ref = reference(trades, interval);
        const got = foldAll(trades, interval);
        expect(got.length).toBe(ref.size);
        for (const c of got) {
          const r = ref.get(c.bucketStart)!;
          expect([c.open, c.high, c.low, c.close, c.volume, c.takerBuyVolume, c.takerSellVolume, c.trades]).toEqual([r.o, r.h, r.l, r.c, r.v, r.tb, r.ts, r.n]);
        }
      }),
    );
  });

  it('keeps low ≤ open, close ≤ high, and volumes add up to the trades', () => {
    fc.assert(
      fc.property(uniqueTradesArb(150, oneSeries), fc.constantFrom(...INTERVALS), (trades, interval) => {
        const candles = foldAll(trades, interval);
        for (const c of candles) {
          expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
          expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
        }
        const total = candles.reduce((a, c) => a + c.volume, 0n);
        expect(total).toBe(trades.reduce((a, t) => a + parseFixed(t.quantity)!, 0n));
        expect(candles.reduce((a, c) => a + c.trades, 0)).toBe(trades.length);
      }),
    );
  });

  it('gives the same candles for any order and any grouping of the same trades', () => {
    fc.assert(
      fc.property(
        uniqueTradesArb(120, oneSeries).chain((ts) => fc.tuple(fc.constant(ts), fc.shuffledSubarray(ts, { minLength: ts.length, maxLength: ts.length }), fc.nat())),
        ([trades, shuffled, cut]) => {
          const a = foldAll(trades, '5m');
          const b = foldAll(shuffled, '5m');
          expect(b).toEqual(a);
          // Grouping: fold two halves separately, then merge them.
          const k = trades.length === 0 ? 0 : cut % trades.length;
          const left = foldAll(shuffled.slice(0, k), '5m');
          const right = foldAll(shuffled.slice(k), '5m');
          expect(rollUp([...left, ...right], '5m')).toEqual(a);
        },
      ),
    );
  });

  it('rolling 1m candles up to 1h equals folding the trades straight into 1h', () => {
    fc.assert(
      fc.property(uniqueTradesArb(150, oneSeries), (trades) => {
        expect(rollUp(foldAll(trades, '1m'), '1h')).toEqual(foldAll(trades, '1h'));
      }),
    );
  });

  it('merge is commutative', () => {
    fc.assert(
      fc.property(uniqueTradesArb(2, { ...oneSeries }).filter((x) => x.length === 2), ([x, y]) => {
        const cx = candleOfTrade(point(x!), '1d');
        const cy = { ...candleOfTrade(point(y!), '1d'), bucketStart: cx.bucketStart };
        expect(mergeCandles(cx, cy)).toEqual(mergeCandles(cy, cx));
      }),
    );
  });

  it('adding a trade to a candle is merging in its one-trade candle, field for field', () => {
    fc.assert(
      fc.property(uniqueTradesArb(60, oneSeries), fc.integer({ min: 0, max: 59 }), (trades, m) => {
        // All in one minute, so every trade lands in the same candle, in generated (arbitrary) order.
        const inMinute = trades.map((t) => point({ ...t, eventTime: bucketStart(t.eventTime, '1m') + m * 1_000 + (t.eventTime % 1_000) }));
        let merged: Candle | undefined;
        let added: Candle | undefined;
        for (const t of inMinute) {
          merged = merged === undefined ? candleOfTrade(t, '1m') : mergeCandles(merged, candleOfTrade(t, '1m'));
          added = added === undefined ? candleOfTrade(t, '1m') : addTradeToCandle(added, t);
          expect(added).toEqual(merged);
        }
      }),
    );
  });
});
