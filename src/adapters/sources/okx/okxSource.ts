/**
 * OKX spot, live: the public `trades` channel for every instrument on one connection, kept open
 * with the text `ping` OKX asks for (it closes a connection silent for 30 s). Whether trade ids
 * count one by one per instrument is not documented, so no hole is counted from them; after every
 * reconnect the latest 500 trades are fetched from REST and the ones not yet taken are kept.
 *
 * With books asked for, the `books` channel (400 levels, snapshot on subscribe) on the same
 * connection: each update's prevSeqId must be the last seqId and its CRC32 of the top 25 must
 * match; on a gap or mismatch the instrument's book is unsubscribed and subscribed again, which
 * brings a fresh snapshot.
 */
import { BOOK_RULES } from '../../../domain/orderbook/bookRules.js';
import { chunks, passedOn, restBase, settleSymbols, wantsBooks, wantsTrades, type LiveSourceOptions } from '../wire/liveSourceOptions.js';
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
      const channels = [...(wantsTrades(o) ? ['trades'] : []), ...(wantsBooks(o) ? ['books'] : [])];
      const args = symbols.flatMap((instId) => channels.map((channel) => ({ channel, instId })));
      return [{
        url: o.wsUrl ?? OKX_WS_URL,
        subscribe: chunks(args, ARGS_PER_REQUEST).map((list) => JSON.stringify({ op: 'subscribe', args: list })),
        keepAlive: { message: 'ping', intervalMs: o.keepAliveMs ?? KEEP_ALIVE_MS },
        bookSymbols: wantsBooks(o) ? symbols : [],
      }];
    },
    decode: (text) => decodeOkxMessage(text),
    sequenceOf: () => undefined,
    ...(o.healGaps === false ? {} : { catchUp: (symbol, last, signal) => fetchOkxRecentTrades(rest, symbol, last, signal) }),
    dropRepeats: true,
    ...(wantsBooks(o) ? { books: { rules: BOOK_RULES.okx, resubscribe: okxBookResubscribe } } : {}),
    ...passedOn(o),
  });
};

/** An instrument's book unsubscribed and subscribed again: OKX answers with a fresh snapshot. */
const okxBookResubscribe = (instId: string): readonly string[] => [
  JSON.stringify({ op: 'unsubscribe', args: [{ channel: 'books', instId }] }),
  JSON.stringify({ op: 'subscribe', args: [{ channel: 'books', instId }] }),
];
