/**
 * Gemini, live: market data v2 with the `l2` subscription (the one that carries trades) for all
 * symbols on one connection. Trade ids are shared by all pairs, so a hole cannot be counted;
 * after every reconnect the trades since the last one taken are fetched from REST /v1/trades, and
 * the recent trades that every (re)subscription replays are dropped as repeats.
 */
import { BOOK_RULES } from '../../../domain/orderbook/bookRules.js';
import { passedOn, restBase, settleSymbols, wantsBooks, type LiveSourceOptions } from '../wire/liveSourceOptions.js';
import { createStreamingSource, type StreamingSource } from '../wire/streamingSource.js';
import { GEMINI_EXCHANGE, decodeGeminiMessage } from './geminiMessage.js';
import { fetchGeminiTradesSince, geminiSymbolsQuotedIn } from './geminiRest.js';
import { geminiSymbol } from './geminiSymbols.js';

export const GEMINI_WS_URL = 'wss://api.gemini.com/v2/marketdata';
export const GEMINI_REST_URL = 'https://api.gemini.com';

export const createGeminiSource = (o: LiveSourceOptions): StreamingSource => {
  const rest = restBase(o.restUrl, GEMINI_REST_URL);
  return createStreamingSource({
    name: GEMINI_EXCHANGE,
    exchange: GEMINI_EXCHANGE,
    plan: async (signal) => {
      const symbols = await settleSymbols(GEMINI_EXCHANGE, o.symbols, (quote, s) => geminiSymbolsQuotedIn(rest, quote, s), signal);
      return [{
        url: o.wsUrl ?? GEMINI_WS_URL,
        subscribe: [JSON.stringify({ type: 'subscribe', subscriptions: [{ name: 'l2', symbols: symbols.map(geminiSymbol) }] })],
        bookSymbols: wantsBooks(o) ? symbols : [],
      }];
    },
    decode: wantsBooks(o) ? (text) => decodeGeminiMessage(text, GEMINI_EXCHANGE, true) : (text) => decodeGeminiMessage(text),
    sequenceOf: () => undefined,
    ...(o.healGaps === false ? {} : { catchUp: (symbol, last, signal) => fetchGeminiTradesSince(rest, symbol, last, signal) }),
    dropRepeats: true,
    // Nothing numbered to check: a dropped connection is the one resync, its new subscription the snapshot.
    ...(wantsBooks(o) ? { books: { rules: BOOK_RULES.gemini } } : {}),
    ...passedOn(o),
  });
};
