/**
 * Bitfinex, live: the public `trades` channel of each trading pair, at most 25 channels a
 * connection (Bitfinex's limit), each connection with its own decoder (channel ids are per
 * connection). Trade ids are shared by all pairs, so a hole cannot be counted; after every
 * reconnect the trades since the last one taken are fetched from REST /v2/trades/…/hist, and the
 * snapshot each resubscription brings is dropped as repeats.
 *
 * With books asked for, the `book` channel (P0, F0, len 25) of each pair, with checksums turned on
 * for the connection (conf flags 131072): each `cs` message's CRC32 of the top 25 must match the
 * local book; on a mismatch the pair's book is unsubscribed (by its chanId) and subscribed again,
 * which brings a fresh snapshot. A book has no sequence number to check (the checksum is the check).
 */
import { BOOK_RULES } from '../../../domain/orderbook/bookRules.js';
import { chunks, passedOn, restBase, settleSymbols, wantsBooks, wantsTrades, type LiveSourceOptions } from '../wire/liveSourceOptions.js';
import { createStreamingSource, type StreamingSource } from '../wire/streamingSource.js';
import { BITFINEX_EXCHANGE, createBitfinexConnection, createBitfinexDecoder } from './bitfinexMessage.js';
import { bitfinexPairsQuotedIn, fetchBitfinexTradesSince } from './bitfinexRest.js';
import { bitfinexSymbol } from './bitfinexSymbols.js';

export const BITFINEX_WS_URL = 'wss://api-pub.bitfinex.com/ws/2';
export const BITFINEX_REST_URL = 'https://api-pub.bitfinex.com';
const CHANNELS_PER_CONNECTION = 25;
/** The conf flag that makes Bitfinex send a `cs` checksum message after each book change ("WebSocket Checksum"). */
export const BITFINEX_CHECKSUM_FLAG = 131072;
/** Levels per side: the checksum covers the top 25, so the book keeps at least that many. */
export const BITFINEX_BOOK_LENGTH = 25;

export const bitfinexBookSubscription = (symbol: string): string =>
  JSON.stringify({ event: 'subscribe', channel: 'book', symbol: bitfinexSymbol(symbol), prec: 'P0', freq: 'F0', len: String(BITFINEX_BOOK_LENGTH) });

export const createBitfinexSource = (o: LiveSourceOptions): StreamingSource => {
  const rest = restBase(o.restUrl, BITFINEX_REST_URL);
  const trades = wantsTrades(o);
  const books = wantsBooks(o);
  return createStreamingSource({
    name: BITFINEX_EXCHANGE,
    exchange: BITFINEX_EXCHANGE,
    plan: async (signal) => {
      const symbols = await settleSymbols(BITFINEX_EXCHANGE, o.symbols, (quote, s) => bitfinexPairsQuotedIn(rest, quote, s), signal);
      const perSymbol = (trades ? 1 : 0) + (books ? 1 : 0);
      return chunks(symbols, Math.floor(CHANNELS_PER_CONNECTION / perSymbol)).map((list) => {
        const connection = createBitfinexConnection();
        return {
          url: o.wsUrl ?? BITFINEX_WS_URL,
          subscribe: [
            ...(books ? [JSON.stringify({ event: 'conf', flags: BITFINEX_CHECKSUM_FLAG })] : []),
            ...(trades ? list.map((s) => JSON.stringify({ event: 'subscribe', channel: 'trades', symbol: bitfinexSymbol(s) })) : []),
            ...(books ? list.map(bitfinexBookSubscription) : []),
          ],
          decode: connection.decode,
          bookSymbols: books ? list : [],
          resubscribeBook: (symbol: string) => {
            const chanId = connection.retireBook(symbol);
            return [...(chanId === undefined ? [] : [JSON.stringify({ event: 'unsubscribe', chanId })]), bitfinexBookSubscription(symbol)];
          },
        };
      });
    },
    decode: createBitfinexDecoder(),
    sequenceOf: () => undefined,
    ...(o.healGaps === false ? {} : { catchUp: (symbol, last, signal) => fetchBitfinexTradesSince(rest, symbol, last, signal) }),
    dropRepeats: true,
    ...(books ? { books: { rules: () => BOOK_RULES.bitfinex(BITFINEX_BOOK_LENGTH) } } : {}),
    ...passedOn(o),
  });
};
