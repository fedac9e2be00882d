/**
 * Coinbase Exchange, live: the `matches` channel for a list of products. Coinbase answers the
 * subscription with one `last_match` per product, then a `match` per trade. `sequence` counts
 * every message of a product's full feed (opens, dones, changes), so on the matches channel it
 * jumps by design; `trade_id` counts trades one by one per product, and that is the continuity
 * checked here. Gaps are healed from REST /products/{id}/trades.
 */
import type { TradeData } from '../../../domain/events/market.js';
import { createStreamingSource, type StreamingSource, type StreamingSourceSpec } from '../wire/streamingSource.js';
import { COINBASE_EXCHANGE, decodeCoinbaseMessage } from './coinbaseMessage.js';
import { fetchMissingCoinbaseTrades } from './coinbaseRest.js';

export const COINBASE_WS_URL = 'wss://ws-feed.exchange.coinbase.com';
export const COINBASE_REST_URL = 'https://api.exchange.coinbase.com';

export interface CoinbaseSourceOptions {
  /** Coinbase product ids, which are already BASE-QUOTE (`BTC-USD`). */
  readonly symbols: readonly string[];
  readonly wsUrl?: string;
  readonly restUrl?: string;
  readonly healGaps?: boolean;
  readonly socket?: StreamingSourceSpec['socket'];
  readonly log?: StreamingSourceSpec['log'];
}

export const createCoinbaseSource = (o: CoinbaseSourceOptions): StreamingSource => {
  const restUrl = (o.restUrl ?? COINBASE_REST_URL).replace(/\/+$/, '');
  if (o.symbols.length === 0) throw new Error('coinbase: no products to follow');
  return createStreamingSource({
    name: COINBASE_EXCHANGE,
    exchange: COINBASE_EXCHANGE,
    plan: () => Promise.resolve([{
      url: o.wsUrl ?? COINBASE_WS_URL,
      subscribe: [JSON.stringify({ type: 'subscribe', product_ids: o.symbols, channels: ['matches', 'heartbeat'] })],
    }]),
    decode: (text) => decodeCoinbaseMessage(text),
    sequenceOf: (t: TradeData) => ({ sequence: 'trade-id', id: Number(t.tradeId) }),
    ...(o.healGaps === false ? {} : { heal: (gap, signal) => fetchMissingCoinbaseTrades(restUrl, gap, signal) }),
    ...(o.socket === undefined ? {} : { socket: o.socket }),
    ...(o.log === undefined ? {} : { log: o.log }),
  });
};
