/** The fast trade check and TradeData's codec agree on every input: same verdict, same value, same reason. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateEventData } from '../../../src/domain/events/catalogue.js';
import { validateTrade } from '../../../src/domain/events/validateTrade.js';
import { garbageArb, tradeArb } from '../../support/arbitraries.js';

/** A valid trade with one field replaced by anything, removed, or joined by an extra field. */
const nearlyValidArb: fc.Arbitrary<unknown> = fc
  .tuple(tradeArb(), fc.constantFrom('exchange', 'symbol', 'tradeId', 'price', 'quantity', 'side', 'eventTime', 'extra'), fc.anything(), fc.boolean())
  .map(([trade, field, value, remove]) => {
    const copy: Record<string, unknown> = { ...trade };
    if (remove) delete copy[field];
    else copy[field] = value;
    return copy;
  });

/** Boundary values of every field: lengths, zero prices, event-time limits, non-integers. */
const edgeArb: fc.Arbitrary<unknown> = fc.record({
  exchange: fc.constantFrom('binance', 'Binance', '', 'a'.repeat(32), 'a'.repeat(33), 1),
  symbol: fc.constantFrom('BTC-USDT', 'btc-usdt', 'BTCUSDT', '-', 'A'.repeat(21) + '-B'),
  tradeId: fc.constantFrom('1', '', 'x'.repeat(256), 'x'.repeat(257), 7),
  price: fc.constantFrom('1', '0', '0.000', '0.01', '-1', '1e3', '1.', ' 1', '1'.repeat(31)),
  quantity: fc.constantFrom('2.5', '0', '00.1', 'NaN', 2.5),
  side: fc.constantFrom('buy', 'sell', 'BUY', 'toString', undefined),
  eventTime: fc.constantFrom(Date.UTC(2009, 0, 1), Date.UTC(2009, 0, 1) - 1, Date.UTC(2100, 0, 1), Date.UTC(2100, 0, 1) - 1, 1.5e12 + 0.5, Number.NaN, '1700000000000'),
});

describe('validateTrade', () => {
  it('accepts and rejects exactly what the codec does, with the same value or reason', () => {
    fc.assert(
      fc.property(fc.oneof(tradeArb(), nearlyValidArb, edgeArb, garbageArb), (input) => {
        expect(validateTrade(input)).toEqual(validateEventData('TradeObserved', input));
      }),
      { numRuns: 2_000 },
    );
  });

  it('hands a valid trade back as the same object, as the codec does', () => {
    fc.assert(
      fc.property(tradeArb(), (trade) => {
        const fast = validateTrade(trade);
        const codec = validateEventData('TradeObserved', trade);
        expect(fast.ok && codec.ok && fast.value === trade && codec.value === trade).toBe(true);
      }),
    );
  });

  it('rejects with the reason the codec words', () => {
    expect(validateTrade({ exchange: 'binance', symbol: 'BTC-USDT', tradeId: '1', price: '0', quantity: '1', side: 'buy', eventTime: Date.UTC(2024, 0, 1) })).toEqual({
      ok: false,
      reason: 'data.price: expected a positive decimal string like "0.01", got "0"',
    });
  });
});
