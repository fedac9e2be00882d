/**
 * Coinbase Exchange, live: the `matches` channel for a list of products. Coinbase answers the
 * subscription with one `last_match` per product, then a `match` per trade. `sequence` counts
 * every message of a product's full feed (opens, dones, changes), so on the matches channel it
 * jumps by design; `trade_id` counts trades one by one per product, and that is the continuity
 * checked here. Gaps are healed from REST /products/{id}/trades.
 *
 * With books asked for, a second connection to the Advanced Trade market data endpoint (the
 * Exchange feed's own level2 needs an authenticated connection): the `level2` channel for the
 * products plus `heartbeats`, which keeps the subscriptions open through quiet spells. Each
 * message's sequence_num must follow the connection's last (coinbaseBook.ts); on a jump every book
 * of the connection is resynced, and a product's book is resynced by unsubscribing and subscribing
 * it again, which brings a fresh snapshot.
 */
import type { TradeData } from '../../../domain/events/market.js';
import { BOOK_RULES } from '../../../domain/orderbook/bookRules.js';
import { wantsBooks, wantsTrades, type Channel } from '../wire/liveSourceOptions.js';
import { createStreamingSource, type StreamingSource, type StreamingSourceSpec } from '../wire/streamingSource.js';
import { createCoinbaseBookDecoder } from './coinbaseBook.js';
import { COINBASE_EXCHANGE, decodeCoinbaseMessage } from './coinbaseMessage.js';
import { fetchMissingCoinbaseTrades } from './coinbaseRest.js';

export const COINBASE_WS_URL = 'wss://ws-feed.exchange.coinbase.com';
export const COINBASE_REST_URL = 'https://api.exchange.coinbase.com';
export const COINBASE_BOOK_WS_URL = 'wss://advanced-trade-ws.coinbase.com';

export interface CoinbaseSourceOptions {
  /** Coinbase product ids, which are already BASE-QUOTE (`BTC-USD`). */
  readonly symbols: readonly string[];
  /** What to subscribe to; trades only by default. */
  readonly channels?: readonly Channel[];
  readonly wsUrl?: string;
  /** The Advanced Trade market data endpoint, for books. */
  readonly bookWsUrl?: string;
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
    plan: () => Promise.resolve([
      ...(wantsTrades(o) ? [{
        url: o.wsUrl ?? COINBASE_WS_URL,
        subscribe: [JSON.stringify({ type: 'subscribe', product_ids: o.symbols, channels: ['matches', 'heartbeat'] })],
      }] : []),
      ...(wantsBooks(o) ? [{
        url: o.bookWsUrl ?? COINBASE_BOOK_WS_URL,
        subscribe: [level2Request('subscribe', o.symbols), JSON.stringify({ type: 'subscribe', product_ids: o.symbols, channel: 'heartbeats' })],
        decode: createCoinbaseBookDecoder(),
        bookSymbols: o.symbols,
      }] : []),
    ]),
    decode: (text) => decodeCoinbaseMessage(text),
    sequenceOf: (t: TradeData) => ({ sequence: 'trade-id', id: Number(t.tradeId) }),
    ...(o.healGaps === false ? {} : { heal: (gap, signal) => fetchMissingCoinbaseTrades(restUrl, gap, signal) }),
    ...(wantsBooks(o) ? { books: { rules: BOOK_RULES.coinbase, resubscribe: (s: string) => [level2Request('unsubscribe', [s]), level2Request('subscribe', [s])] } } : {}),
    ...(o.socket === undefined ? {} : { socket: o.socket }),
    ...(o.log === undefined ? {} : { log: o.log }),
  });
};

const level2Request = (type: 'subscribe' | 'unsubscribe', products: readonly string[]): string => JSON.stringify({ type, product_ids: products, channel: 'level2' });
