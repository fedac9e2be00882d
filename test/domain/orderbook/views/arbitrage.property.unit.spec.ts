/** Cross-exchange arbitrage: held against the definition pair by pair; fees only ever remove opportunities. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitrageOpportunities, type ExchangeTouch } from '../../../../src/domain/orderbook/views/arbitrage.js';

const level = fc.option(fc.record({ price: fc.integer({ min: 9_000, max: 11_000 }).map((p) => p / 100), quantity: fc.double({ min: 0.001, max: 10, noNaN: true }) }), { nil: null });
const touches: fc.Arbitrary<ExchangeTouch[]> = fc
  .uniqueArray(fc.constantFrom('okx', 'kraken', 'bybit', 'bitstamp', 'gemini'), { maxLength: 5 })
  .chain((xs) => fc.tuple(...xs.map((exchange) => fc.record({ exchange: fc.constant(exchange), bestBid: level, bestAsk: level }))));

describe('arbitrageOpportunities', () => {
  it('lists exactly the pairs whose bid beats the other ask after both fees, net edge positive, largest first', () => {
    fc.assert(
      fc.property(touches, fc.double({ min: 0, max: 50, noNaN: true }), (ts, fee) => {
        const got = arbitrageOpportunities(ts, fee);
        const want = ts.flatMap((b) =>
          ts.filter((s) => s !== b && b.bestAsk !== null && s.bestBid !== null && s.bestBid.price * (1 - fee / 10_000) > b.bestAsk.price * (1 + fee / 10_000)).map((s) => `${b.exchange}>${s.exchange}`),
        );
        expect(got.map((o) => `${o.buyOn}>${o.sellOn}`).sort()).toEqual(want.sort());
        for (const o of got) {
          expect(o.edgeBps).toBeGreaterThan(0);
          expect(o.sellAt).toBeGreaterThan(o.buyAt);
        }
        for (let i = 1; i < got.length; i++) expect(got[i]!.edgeBps).toBeLessThanOrEqual(got[i - 1]!.edgeBps);
        expect(arbitrageOpportunities(ts, fee + 5).length).toBeLessThanOrEqual(got.length);
      }),
    );
  });
});
