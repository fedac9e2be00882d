/**
 * Kraken spot, live: the v2 `trade` channel with its snapshot, for a pair list or every USD/USDT
 * pair online (AssetPairs). trade_id counts trades per book, so a jump is a counted gap, healed
 * from REST /0/public/Trades; the snapshot that comes with every resubscription already fills
 * holes of up to 50 trades, and its repeats are dropped.
 *
 * With books asked for, the v2 `book` channel at depth 10 on the same connection: the book is cut
 * to that depth after every message and each message's CRC32 of the top 10 must match; on a
 * mismatch the pair's book is unsubscribed and subscribed again, which brings a fresh snapshot.
 */
import type { TradeData } from '../../../domain/events/market.js';
import { BOOK_RULES, KRAKEN_BOOK_DEPTH } from '../../../domain/orderbook/bookRules.js';
import { chunks, passedOn, restBase, settleSymbols, wantsBooks, wantsTrades, type LiveSourceOptions } from '../wire/liveSourceOptions.js';
import { createStreamingSource, type StreamingSource } from '../wire/streamingSource.js';
import { KRAKEN_EXCHANGE, decodeKrakenMessage } from './krakenMessage.js';
import { fetchMissingKrakenTrades, krakenPairsQuotedIn } from './krakenRest.js';
import { krakenWsPair } from './krakenSymbols.js';

export const KRAKEN_WS_URL = 'wss://ws.kraken.com/v2';
export const KRAKEN_REST_URL = 'https://api.kraken.com';
/** Pairs per subscribe request (Kraken accepts lists; kept moderate so one refusal names few). */
const PAIRS_PER_REQUEST = 50;

export const createKrakenSource = (o: LiveSourceOptions): StreamingSource => {
  const rest = restBase(o.restUrl, KRAKEN_REST_URL);
  return createStreamingSource({
    name: KRAKEN_EXCHANGE,
    exchange: KRAKEN_EXCHANGE,
    plan: async (signal) => {
      const symbols = await settleSymbols(KRAKEN_EXCHANGE, o.symbols, (quote, s) => krakenPairsQuotedIn(rest, quote, s), signal);
      const pairs = chunks(symbols, PAIRS_PER_REQUEST).map((list) => list.map(krakenWsPair));
      return [{
        url: o.wsUrl ?? KRAKEN_WS_URL,
        subscribe: [
          ...(wantsTrades(o) ? pairs.map((symbol) => JSON.stringify({ method: 'subscribe', params: { channel: 'trade', symbol, snapshot: true } })) : []),
          ...(wantsBooks(o) ? pairs.map((symbol) => krakenBookRequest('subscribe', symbol)) : []),
        ],
        bookSymbols: wantsBooks(o) ? symbols : [],
      }];
    },
    decode: (text) => decodeKrakenMessage(text),
    sequenceOf: (t: TradeData) => ({ sequence: 'trade-id', id: Number(t.tradeId) }),
    ...(o.healGaps === false ? {} : { heal: (gap, signal, lastSeenAt) => fetchMissingKrakenTrades(rest, gap, lastSeenAt, signal) }),
    dropRepeats: true,
    ...(wantsBooks(o) ? { books: { rules: () => BOOK_RULES.kraken(KRAKEN_BOOK_DEPTH), resubscribe: (s: string) => ['unsubscribe', 'subscribe'].map((m) => krakenBookRequest(m, [krakenWsPair(s)])) } } : {}),
    ...passedOn(o),
  });
};

const krakenBookRequest = (method: string, symbol: readonly string[]): string =>
  JSON.stringify({ method, params: { channel: 'book', symbol, depth: KRAKEN_BOOK_DEPTH, ...(method === 'subscribe' ? { snapshot: true } : {}) } });
