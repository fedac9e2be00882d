/** fast-check arbitraries for domain values, built to the definitions in ARCHITECTURE.md. */
import fc from 'fast-check';
import type { TradeData } from '../../src/domain/events/market.js';

export const decimalString = (opts: { maxInt?: number; maxFrac?: number } = {}): fc.Arbitrary<string> =>
  fc
    .tuple(fc.integer({ min: 0, max: opts.maxInt ?? 99_999 }), fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: opts.maxFrac ?? 8 }))
    .map(([i, f]) => (f === '' ? String(i) : `${i}.${f}`));

export const positiveDecimalString = (opts?: { maxInt?: number; maxFrac?: number }): fc.Arbitrary<string> =>
  decimalString(opts).filter((s) => /[1-9]/.test(s));

export const symbolArb = fc.constantFrom('BTC-USDT', 'ETH-USDT', 'SOL-USD', 'DOGE-EUR', 'X1-Y2');
export const exchangeArb = fc.constantFrom('binance', 'coinbase', 'kraken');

/** 2024-01-01 .. 2024-01-01 + 3 h, so trades share buckets often. */
export const T0 = Date.UTC(2024, 0, 1);
export const eventTimeArb = fc.integer({ min: T0, max: T0 + 3 * 3_600_000 });

export const tradeArb = (over: Partial<{ symbol: fc.Arbitrary<string>; exchange: fc.Arbitrary<string>; eventTime: fc.Arbitrary<number> }> = {}): fc.Arbitrary<TradeData> =>
  fc.record({
    exchange: over.exchange ?? exchangeArb,
    symbol: over.symbol ?? symbolArb,
    tradeId: fc.bigInt({ min: 1n, max: 10n ** 12n }).map(String),
    price: positiveDecimalString({ maxInt: 100_000, maxFrac: 8 }),
    quantity: positiveDecimalString({ maxInt: 1_000, maxFrac: 8 }),
    side: fc.constantFrom('buy' as const, 'sell' as const),
    eventTime: over.eventTime ?? eventTimeArb,
  });

/** Trades with unique (exchange, symbol, tradeId). */
export const uniqueTradesArb = (maxLength = 200, over?: Parameters<typeof tradeArb>[0]): fc.Arbitrary<TradeData[]> =>
  fc.uniqueArray(tradeArb(over), { maxLength, selector: (t) => `${t.exchange}/${t.symbol}/${t.tradeId}` });

/** Anything at all: what a broken feed might send. */
export const garbageArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  fc.string(),
  fc.record({ exchange: fc.anything(), symbol: fc.anything(), tradeId: fc.anything(), price: fc.anything(), quantity: fc.anything(), side: fc.anything(), eventTime: fc.anything() }, { requiredKeys: [] }),
);
