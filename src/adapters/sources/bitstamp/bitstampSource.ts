/**
 * Bitstamp, live: the `live_trades_{pair}` channels on one connection. Trade ids are shared by
 * all pairs, so a hole cannot be counted; after every reconnect the last hour's transactions are
 * fetched from REST and those after the last trade taken are kept (repeats dropped).
 *
 * With books asked for, `diff_order_book_{pair}` too, and after every connect the REST
 * order_book: the diffs that came first are held, and those not after its microtimestamp dropped.
 */
import { BOOK_RULES } from '../../../domain/orderbook/bookRules.js';
import { passedOn, restBase, settleSymbols, wantsBooks, wantsTrades, type LiveSourceOptions } from '../wire/liveSourceOptions.js';
import { fetchBitstampBook } from './bitstampBook.js';
import { createStreamingSource, type StreamingSource } from '../wire/streamingSource.js';
import { BITSTAMP_EXCHANGE, decodeBitstampMessage } from './bitstampMessage.js';
import { bitstampPairsQuotedIn, fetchBitstampTradesSince } from './bitstampRest.js';
import { bitstampPair } from './bitstampSymbols.js';

export const BITSTAMP_WS_URL = 'wss://ws.bitstamp.net';
export const BITSTAMP_REST_URL = 'https://www.bitstamp.net';

export const createBitstampSource = (o: LiveSourceOptions): StreamingSource => {
  const rest = restBase(o.restUrl, BITSTAMP_REST_URL);
  return createStreamingSource({
    name: BITSTAMP_EXCHANGE,
    exchange: BITSTAMP_EXCHANGE,
    plan: async (signal) => {
      const symbols = await settleSymbols(BITSTAMP_EXCHANGE, o.symbols, (quote, s) => bitstampPairsQuotedIn(rest, quote, s), signal);
      return [{
        url: o.wsUrl ?? BITSTAMP_WS_URL,
        subscribe: symbols.flatMap((s) => [...(wantsTrades(o) ? ['live_trades_'] : []), ...(wantsBooks(o) ? ['diff_order_book_'] : [])]
          .map((channel) => JSON.stringify({ event: 'bts:subscribe', data: { channel: `${channel}${bitstampPair(s)}` } }))),
        bookSymbols: wantsBooks(o) ? symbols : [],
      }];
    },
    decode: (text) => decodeBitstampMessage(text),
    sequenceOf: () => undefined,
    ...(o.healGaps === false ? {} : { catchUp: (symbol, last, signal) => fetchBitstampTradesSince(rest, symbol, last, signal) }),
    dropRepeats: true,
    ...(wantsBooks(o) ? { books: { rules: BOOK_RULES.bitstamp, fetchSnapshot: (symbol: string, signal: AbortSignal) => fetchBitstampBook(rest, symbol, signal) } } : {}),
    ...passedOn(o),
  });
};
