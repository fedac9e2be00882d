/**
 * Bitfinex, live: the public `trades` channel of each trading pair, at most 25 channels a
 * connection (Bitfinex's limit), each connection with its own decoder (channel ids are per
 * connection). Trade ids are shared by all pairs, so a hole cannot be counted; after every
 * reconnect the trades since the last one taken are fetched from REST /v2/trades/…/hist, and the
 * snapshot each resubscription brings is dropped as repeats.
 */
import { chunks, passedOn, restBase, settleSymbols, type LiveSourceOptions } from '../wire/liveSourceOptions.js';
import { createStreamingSource, type StreamingSource } from '../wire/streamingSource.js';
import { BITFINEX_EXCHANGE, createBitfinexDecoder } from './bitfinexMessage.js';
import { bitfinexPairsQuotedIn, fetchBitfinexTradesSince } from './bitfinexRest.js';
import { bitfinexSymbol } from './bitfinexSymbols.js';

export const BITFINEX_WS_URL = 'wss://api-pub.bitfinex.com/ws/2';
export const BITFINEX_REST_URL = 'https://api-pub.bitfinex.com';
const CHANNELS_PER_CONNECTION = 25;

export const createBitfinexSource = (o: LiveSourceOptions): StreamingSource => {
  const rest = restBase(o.restUrl, BITFINEX_REST_URL);
  return createStreamingSource({
    name: BITFINEX_EXCHANGE,
    exchange: BITFINEX_EXCHANGE,
    plan: async (signal) => {
      const symbols = await settleSymbols(BITFINEX_EXCHANGE, o.symbols, (quote, s) => bitfinexPairsQuotedIn(rest, quote, s), signal);
      return chunks(symbols, CHANNELS_PER_CONNECTION).map((list) => ({
        url: o.wsUrl ?? BITFINEX_WS_URL,
        subscribe: list.map((s) => JSON.stringify({ event: 'subscribe', channel: 'trades', symbol: bitfinexSymbol(s) })),
        decode: createBitfinexDecoder(),
      }));
    },
    decode: createBitfinexDecoder(),
    sequenceOf: () => undefined,
    ...(o.healGaps === false ? {} : { catchUp: (symbol, last, signal) => fetchBitfinexTradesSince(rest, symbol, last, signal) }),
    dropRepeats: true,
    ...passedOn(o),
  });
};
