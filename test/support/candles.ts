/**
 * Small builders of minute slots and candles for store tests, made with the domain's own folds
 * so that test data has exactly the shape (and the bigint volumes) production writes.
 */
import fc from 'fast-check';
import { candleOfTrade, mergeCandles, rollUp, type Candle, type TradePoint } from '../../src/domain/folds/candle.js';
import { addKline, addTrade, candleOfKline, EMPTY_SLOT, type MinuteSlot } from '../../src/domain/folds/minuteSlot.js';
import { MINUTE_MS } from '../../src/domain/time.js';
import { positiveDecimalString } from './arbitraries.js';

/** 2024-01-01T00:00Z: a minute-, hour- and day-aligned origin. */
export const T0 = Date.UTC(2024, 0, 1);
export const minute = (n: number): number => T0 + n * MINUTE_MS;

export const trade = (eventTime: number, key: string, price = '100', quantity = '1', side: TradePoint['side'] = 'buy'): TradePoint => ({ eventTime, key, price, quantity, side });

/** A slot of trades in the minute starting at `m`: one trade per price, one second apart. */
export const tradeSlot = (m: number, prices: readonly string[] = ['100'], quantity = '1'): MinuteSlot =>
  prices.reduce((s, price, i) => addTrade(s, trade(m + i * 1_000, String(m + i), price, quantity)), EMPTY_SLOT);

/** A slot whose volumes do not fit a double, to prove a store keeps bigints exact. */
export const hugeSlot = (m: number): MinuteSlot =>
  tradeSlot(m, ['98765.12345678', '98765.12345679'], '123456789012.123456789012345678');

/** A slot known both from trades and from the exchange's kline. */
export const klineSlot = (m: number): MinuteSlot => {
  const k = candleOfKline({
    exchange: 'binance',
    symbol: 'BTC-USDT',
    interval: '1m',
    openTime: m,
    open: '100.5',
    high: '101.25',
    low: '99.75',
    close: '100',
    volume: '12.000000000000000001',
    quoteVolume: '1206.000000000000000123',
    trades: 42,
  });
  if (k === undefined) throw new Error('test kline did not fold');
  return addKline(tradeSlot(m, ['100', '101']), k);
};

/** The candle of some trades in one bucket of `interval`. */
export const candleOf = (trades: readonly TradePoint[], interval: '1h' | '1d'): Candle => {
  const [first, ...rest] = trades.map((t) => candleOfTrade(t, interval));
  if (first === undefined) throw new Error('candleOf needs at least one trade');
  return rest.reduce((a, b) => mergeCandles(a, b), first);
};

/** The hour (or day) candle rolled up from slots' trade candles. */
export const rolledUp = (slots: readonly MinuteSlot[], interval: '1h' | '1d'): Candle => {
  const [c] = rollUp(slots.flatMap((s) => (s.fromTrades === undefined ? [] : [s.fromTrades])), interval);
  if (c === undefined) throw new Error('rolledUp needs at least one slot with trades');
  return c;
};

/** Random slots for minute `m`: 1–4 trades with random prices and quantities. */
export const slotArb = (m: number): fc.Arbitrary<MinuteSlot> =>
  fc
    .array(fc.tuple(fc.integer({ min: 0, max: MINUTE_MS - 1 }), positiveDecimalString({ maxInt: 100_000, maxFrac: 8 }), positiveDecimalString({ maxInt: 10_000_000, maxFrac: 18 })), {
      minLength: 1,
      maxLength: 4,
    })
    .map((ts) => ts.reduce((s, [offset, price, qty], i) => addTrade(s, trade(m + offset, String(i + 1), price, qty)), EMPTY_SLOT));
