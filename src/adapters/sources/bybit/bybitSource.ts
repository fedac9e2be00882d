/**
 * Bybit spot, live: `publicTrade.{symbol}` topics on the v5 public spot stream (at most 10 topics
 * a subscribe request), kept open with `{"op":"ping"}` every 20 s as Bybit asks. Trade ids are
 * not consecutive numbers, so no hole is counted; after every reconnect the latest 60 trades are
 * fetched from REST and the ones not yet taken are kept.
 */
import { chunks, passedOn, restBase, settleSymbols, type LiveSourceOptions } from '../wire/liveSourceOptions.js';
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
      return [{
        url: o.wsUrl ?? BYBIT_WS_URL,
        subscribe: chunks(symbols, TOPICS_PER_REQUEST).map((list) => JSON.stringify({ op: 'subscribe', args: list.map((s) => `publicTrade.${bybitSymbol(s)}`) })),
        keepAlive: { message: '{"op":"ping"}', intervalMs: o.keepAliveMs ?? KEEP_ALIVE_MS },
      }];
    },
    decode: (text) => decodeBybitMessage(text),
    sequenceOf: () => undefined,
    ...(o.healGaps === false ? {} : { catchUp: (symbol, last, signal) => fetchBybitRecentTrades(rest, symbol, last, signal) }),
    dropRepeats: true,
    ...passedOn(o),
  });
};
