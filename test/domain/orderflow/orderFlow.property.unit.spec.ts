/**
 * The order-flow fold: delta and CVD are the candles' exact taker volumes added up, a range folded
 * in two parts (the second from the first's last CVD) gives the same bars, and a bar's book
 * imbalance is the time-weighted mean of the observations made within it (each held until the
 * next one or its minute's end), null for a bar without one; checked against a reference written
 * from the definition, observation by observation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFixed } from '../../../src/domain/decimal.js';
import { candleOfTrade, rollUp, type Candle } from '../../../src/domain/folds/candle.js';
import { BookImbalanceMinutes, sumMinutes } from '../../../src/domain/orderflow/bookImbalance.js';
import { orderFlowBars } from '../../../src/domain/orderflow/orderFlow.js';
import { INTERVALS, MINUTE_MS, bucketStart, type Interval } from '../../../src/domain/time.js';
import { T0, uniqueTradesArb } from '../../support/arbitraries.js';

const oneSeries = { exchange: fc.constant('binance'), symbol: fc.constant('BTC-USDT') };
const candlesOf = (trades: Parameters<typeof candleOfTrade>[0][], interval: Interval): Candle[] => rollUp(trades.map((t) => candleOfTrade(t, interval)), interval);
const tradesArb = uniqueTradesArb(120, oneSeries).map((ts) => ts.map((t) => ({ eventTime: t.eventTime, key: t.tradeId, price: t.price, quantity: t.quantity, side: t.side })));
const fixed = (s: string): bigint => parseFixed(s.startsWith('-') ? s.slice(1) : s)! * (s.startsWith('-') ? -1n : 1n);

/** Observations of one book in event-time order, over the same three hours as the trades, many within their first minutes (several per minute). */
const observationsArb = fc
  .array(fc.record({ at: fc.oneof(fc.integer({ min: T0, max: T0 + 3 * 3_600_000 }), fc.integer({ min: T0, max: T0 + 5 * MINUTE_MS })), imbalance: fc.option(fc.double({ min: -1, max: 1, noNaN: true }), { nil: null }) }), { maxLength: 80 })
  .map((os) => [...os].sort((a, b) => a.at - b.at));

type Observation = { at: number; imbalance: number | null };

/** The definition, observation by observation: Σ v × held / Σ held per bar, held until the next observation or the minute's end. */
const referenceImbalance = (os: readonly Observation[], interval: Interval): Map<number, number> => {
  const sums = new Map<number, { w: number; ms: number }>();
  os.forEach((o, i) => {
    if (o.imbalance === null) return;
    const minuteEnd = Math.floor(o.at / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
    const next = os[i + 1]?.at ?? Number.POSITIVE_INFINITY;
    const ms = Math.min(next, minuteEnd) - o.at;
    if (ms <= 0) return;
    const bar = bucketStart(o.at, interval);
    const s = sums.get(bar) ?? { w: 0, ms: 0 };
    sums.set(bar, { w: s.w + o.imbalance * ms, ms: s.ms + ms });
  });
  return new Map([...sums].map(([bar, s]) => [bar, s.w / s.ms]));
};

const minutesOf = (os: readonly Observation[], retainMinutes = 10_000) => {
  const book = new BookImbalanceMinutes(retainMinutes);
  for (const o of os) book.observe(o.at, o.imbalance);
  return book.minutes(T0 - MINUTE_MS, T0 + 4 * 3_600_000);
};

describe('order flow per bar', () => {
  it('delta is buy − sell, buy + sell is the volume, and CVD is the running sum of the deltas, exactly', () => {
    fc.assert(
      fc.property(tradesArb, fc.constantFrom(...INTERVALS), (trades, interval) => {
        const candles = candlesOf(trades, interval);
        const bars = orderFlowBars(candles, [], interval);
        expect(bars.map((b) => b.time)).toEqual(candles.map((c) => c.bucketStart));
        let running = 0n;
        for (const b of bars) {
          expect(fixed(b.takerBuyVolume) + fixed(b.takerSellVolume)).toBe(fixed(b.volume));
          expect(fixed(b.delta)).toBe(fixed(b.takerBuyVolume) - fixed(b.takerSellVolume));
          running += fixed(b.delta);
          expect(fixed(b.cvd)).toBe(running);
        }
        const all = trades.reduce((s, t) => s + (t.side === 'buy' ? 1n : -1n) * parseFixed(t.quantity)!, 0n);
        expect(bars.length === 0 ? 0n : fixed(bars.at(-1)!.cvd)).toBe(all);
      }),
    );
  });

  it('a range folded in two parts, the second from the first part’s last CVD, gives the same bars', () => {
    fc.assert(
      fc.property(tradesArb, observationsArb, fc.constantFrom(...INTERVALS), fc.nat(), (trades, os, interval, cut) => {
        const candles = candlesOf(trades, interval);
        const minutes = minutesOf(os);
        const i = candles.length === 0 ? 0 : cut % (candles.length + 1);
        const first = orderFlowBars(candles.slice(0, i), minutes, interval);
        const second = orderFlowBars(candles.slice(i), minutes, interval, first.length === 0 ? 0n : fixed(first.at(-1)!.cvd));
        expect([...first, ...second]).toEqual(orderFlowBars([...candles].reverse(), minutes, interval));
      }),
    );
  });

  it('a bar’s imbalance is the time-weighted mean of the observations within it; null for a bar with none, never 0', () => {
    fc.assert(
      fc.property(tradesArb, observationsArb, fc.constantFrom(...INTERVALS), (trades, os, interval) => {
        const ref = referenceImbalance(os, interval);
        const bars = orderFlowBars(candlesOf(trades, interval), minutesOf(os), interval);
        for (const b of bars) {
          const want = ref.get(b.time);
          if (want === undefined) expect(b.imbalance).toBeNull();
          else {
            expect(b.imbalance).not.toBeNull();
            expect(b.imbalance!).toBeCloseTo(want, 9);
            expect(Math.abs(b.imbalance!)).toBeLessThanOrEqual(1 + 1e-12);
          }
        }
      }),
    );
  });

  it('a book keeps its last `retain` minutes as they were, and none older', () => {
    fc.assert(
      fc.property(observationsArb, fc.integer({ min: 1, max: 200 }), (os, retain) => {
        const all = minutesOf(os);
        const newest = os.length === 0 ? 0 : Math.floor(os.at(-1)!.at / MINUTE_MS) * MINUTE_MS;
        expect(minutesOf(os, retain)).toEqual(all.filter((m) => m.minute > newest - retain * MINUTE_MS));
      }),
    );
  });

  it('a watch that began at any observation (and keeps any number of minutes) agrees, from its wholeFrom on, with one that saw every observation', () => {
    fc.assert(
      fc.property(observationsArb, fc.nat(), fc.integer({ min: 1, max: 200 }), (os, k, retain) => {
        const start = os.length === 0 ? 0 : k % os.length;
        const late = new BookImbalanceMinutes(retain);
        for (const o of os.slice(start)) late.observe(o.at, o.imbalance);
        const from = late.wholeFrom();
        if (os.length === 0) {
          expect(from).toBeUndefined();
          return;
        }
        expect(from).toBeGreaterThan(os[start]!.at);
        const whole = (m: { minute: number }) => m.minute >= from!;
        expect(late.minutes(T0 - MINUTE_MS, Number.POSITIVE_INFINITY).filter(whole)).toEqual(minutesOf(os).filter(whole));
      }),
    );
  });

  it('several books summed weigh each by its observed time; a minute only one observed is that one’s', () => {
    fc.assert(
      fc.property(observationsArb, observationsArb, (a, b) => {
        const ma = minutesOf(a);
        const mb = minutesOf(b);
        const summed = sumMinutes([...ma, ...mb]);
        for (const m of summed) {
          const x = ma.find((n) => n.minute === m.minute);
          const y = mb.find((n) => n.minute === m.minute);
          expect(m.observedMs).toBe((x?.observedMs ?? 0) + (y?.observedMs ?? 0));
          if (y === undefined) expect(m).toEqual(x);
        }
        expect(new Set(summed.map((m) => m.minute))).toEqual(new Set([...ma, ...mb].map((m) => m.minute)));
      }),
    );
  });
});
