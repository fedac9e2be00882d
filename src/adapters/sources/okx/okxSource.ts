/**
 * OKX spot, live: the public `trades` channel for every instrument on one connection, kept open
 * with the text `ping` OKX asks for (it closes a connection silent for 30 s). Whether trade ids
 * count one by one per instrument is not documented, so no hole is counted from them; after every
 * reconnect the latest 500 trades are fetched from REST and the ones not yet taken are kept.
 */
import { chunks, passedOn, restBase, settleSymbols, type LiveSourceOptions } from '../wire/liveSourceOptions.js';
import { createStreamingSource, type StreamingSource } from '../wire/streamingSource.js';
import { OKX_EXCHANGE, decodeOkxMessage } from './okxMessage.js';
import { fetchOkxRecentTrades, okxSpotQuotedIn } from './okxRest.js';

export const OKX_WS_URL = 'wss://ws.okx.com:8443/ws/v5/public';
export const OKX_REST_URL = 'https://www.okx.com';
const ARGS_PER_REQUEST = 100;
const KEEP_ALIVE_MS = 20_000;

export const createOkxSource = (o: LiveSourceOptions): StreamingSource => {
  const rest = restBase(o.restUrl, OKX_REST_URL);
  return createStreamingSource({
    name: OKX_EXCHANGE,
    exchange: OKX_EXCHANGE,
    plan: async (signal) => {
      const symbols = await settleSymbols(OKX_EXCHANGE, o.symbols, (quote, s) => okxSpotQuotedIn(rest, quote, s), signal);
      return [{
        url: o.wsUrl ?? OKX_WS_URL,
        subscribe: chunks(symbols, ARGS_PER_REQUEST).map((list) => JSON.stringify({ op: 'subscribe', args: list.map((instId) => ({ channel: 'trades', instId })) })),
        keepAlive: { message: 'ping', intervalMs: o.keepAliveMs ?? KEEP_ALIVE_MS },
      }];
    },
    decode: (text) => decodeOkxMessage(text),
    sequenceOf: () => undefined,
    ...(o.healGaps === false ? {} : { catchUp: (symbol, last, signal) => fetchOkxRecentTrades(rest, symbol, last, signal) }),
    dropRepeats: true,
    ...passedOn(o),
  });
};
