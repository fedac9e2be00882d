/**
 * Bybit spot, live: `publicTrade.{symbol}` topics on the v5 public spot stream (at most 10 topics
 * a subscribe request), kept open with `{"op":"ping"}` every 20 s as Bybit asks. Trade ids are
 * not consecutive numbers, so no hole is counted; after every reconnect the latest 60 trades are
 * fetched from REST and the ones not yet taken are kept.
 *
 * With books asked for, `orderbook.50.{symbol}` on the same connection: each delta's update id u
 * must follow the last by one (u = 1 is a new whole book); on a gap the topic is unsubscribed and
 * subscribed again, which brings a fresh snapshot.
 */
import { BOOK_RULES } from '../../../domain/orderbook/bookRules.js';
import { chunks, passedOn, restBase, settleSymbols, wantsBooks, wantsTrades, type LiveSourceOptions } from '../wire/liveSourceOptions.js';
import { BYBIT_BOOK_DEPTH } from './bybitBook.js';
import { createStreamingSource, type StreamingSource } from '../wire/streamingSource.js';
import { BYBIT_EXCHANGE, decodeBybitMessage } from './bybitMessage.js';
import { bybitSpotQuotedIn, fetchBybitRecentTrades } from './bybitRest.js';
import { bybitSymbol } from './bybitSymbols.js';

export const BYBIT_WS_URL = 'wss://stream.bybit.com/v5/public/spot';
export const BYBIT_REST_URL = 'https://api.bybit.com';
const TOPICS_PER_REQUEST = 10;
const KEEP_ALIVE_MS = 20_000;

export const createBybitSource = (o: LiveSourceOptions): StreamingSource => {
  const rest = restBase(o.restUrl, BYBIT_REST_URL);
  return createStreamingSource({
    name: BYBIT_EXCHANGE,
    exchange: BYBIT_EXCHANGE,
    plan: async (signal) => {
      const symbols = await settleSymbols(BYBIT_EXCHANGE, o.symbols, (quote, s) => bybitSpotQuotedIn(rest, quote, s), signal);
      const topics = symbols.flatMap((s) => [...(wantsTrades(o) ? [`publicTrade.${bybitSymbol(s)}`] : []), ...(wantsBooks(o) ? [bookTopic(s)] : [])]);
      return [{
        url: o.wsUrl ?? BYBIT_WS_URL,
        subscribe: chunks(topics, TOPICS_PER_REQUEST).map((args) => JSON.stringify({ op: 'subscribe', args })),
        bookSymbols: wantsBooks(o) ? symbols : [],
        keepAlive: { message: '{"op":"ping"}', intervalMs: o.keepAliveMs ?? KEEP_ALIVE_MS },
      }];
    },
    decode: (text) => decodeBybitMessage(text),
    sequenceOf: () => undefined,
    ...(o.healGaps === false ? {} : { catchUp: (symbol, last, signal) => fetchBybitRecentTrades(rest, symbol, last, signal) }),
    dropRepeats: true,
    ...(wantsBooks(o) ? { books: { rules: BOOK_RULES.bybit, resubscribe: (s: string) => ['unsubscribe', 'subscribe'].map((op) => JSON.stringify({ op, args: [bookTopic(s)] })) } } : {}),
    ...passedOn(o),
  });
};

const bookTopic = (symbol: string): string => `orderbook.${BYBIT_BOOK_DEPTH}.${bybitSymbol(symbol)}`;
