/**
 * Cross-exchange arbitrage from the books of one symbol: wherever one exchange's best bid is
 * above another's best ask by more than the taker fees of both legs, buying on the second and
 * selling on the first earns the difference. `edgeBps` is net of fees, in bps of the ask;
 * `quantity` is what both touches can take.
 */
import type { Level } from './bookView.js';

export interface ExchangeTouch {
  readonly exchange: string;
  readonly bestBid: Level | null;
  readonly bestAsk: Level | null;
}

export interface ArbitrageOpportunity {
  readonly buyOn: string;
  readonly sellOn: string;
  readonly buyAt: number;
  readonly sellAt: number;
  readonly quantity: number;
  readonly edgeBps: number;
}

/** Every profitable (buy, sell) pair after `feeBps` per leg, the largest edge first. */
export const arbitrageOpportunities = (touches: readonly ExchangeTouch[], feeBps: number): ArbitrageOpportunity[] => {
  const out: ArbitrageOpportunity[] = [];
  for (const buy of touches) {
    for (const sell of touches) {
      if (buy === sell || buy.bestAsk === null || sell.bestBid === null) continue;
      const cost = buy.bestAsk.price * (1 + feeBps / 10_000);
      const proceeds = sell.bestBid.price * (1 - feeBps / 10_000);
      if (proceeds <= cost) continue;
      out.push({
        buyOn: buy.exchange,
        sellOn: sell.exchange,
        buyAt: buy.bestAsk.price,
        sellAt: sell.bestBid.price,
        quantity: Math.min(buy.bestAsk.quantity, sell.bestBid.quantity),
        edgeBps: ((proceeds - cost) / buy.bestAsk.price) * 10_000,
      });
    }
  }
  return out.sort((a, b) => b.edgeBps - a.edgeBps);
};
