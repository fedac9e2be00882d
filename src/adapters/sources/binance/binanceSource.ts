/**
 * Binance spot, live: `<symbol>@trade` and `<symbol>@kline_1m` over combined streams, for a
 * symbol list or every USDT pair trading now (from exchangeInfo). Trade-id gaps are recorded and
 * healed from /api/v3/historicalTrades. Connections retire before Binance's 24-hour cut-off.
 *
 * With books asked for, `<symbol>@depth@100ms` too, and Binance's documented procedure: after
 * every connect the REST snapshot (/api/v3/depth), the diffs that came first held and replayed on
 * it; a diff whose U is not the last u + 1 is a gap, and the book is fetched again.
 */
import type { TradeData } from '../../../domain/events/market.js';
import { createStreamingSource, type StreamingSource, type StreamingSourceSpec } from '../wire/streamingSource.js';
import { BINANCE_EXCHANGE, decodeBinanceMessage } from './binanceMessage.js';
import { fetchMissingTrades, tradingSymbolsQuotedIn } from './binanceRest.js';
import { BOOK_RULES } from '../../../domain/orderbook/bookRules.js';
import type { Channel } from '../wire/liveSourceOptions.js';
import { fetchDepthSnapshot } from './binanceBook.js';
import { BOOK_STREAM, STREAMS_PER_SYMBOL, planStreamUrls } from './streamPlan.js';

export const BINANCE_WS_URL = 'wss://stream.binance.com:9443';
export const BINANCE_REST_URL = 'https://api.binance.com';
/** Binance disconnects every connection after 24 h; leave earlier, on our terms. */
const LIFETIME_MS = 23 * 3_600_000;

export interface BinanceSourceOptions {
  /** BASE-QUOTE symbols, or `all-usdt` for every USDT pair trading now. */
  readonly symbols: readonly string[] | 'all-usdt';
  /** trades (the trade and 1m kline streams; the default) and/or books (the diff depth stream). */
  readonly channels?: readonly Channel[];
  readonly wsUrl?: string;
  readonly restUrl?: string;
  readonly streamsPerConnection?: number;
  readonly healGaps?: boolean;
  readonly socket?: StreamingSourceSpec['socket'];
  readonly log?: StreamingSourceSpec['log'];
}

const DIGITS = /^\d+$/;

export const createBinanceSource = (o: BinanceSourceOptions): StreamingSource => {
  const wsUrl = o.wsUrl ?? BINANCE_WS_URL;
  const restUrl = (o.restUrl ?? BINANCE_REST_URL).replace(/\/+$/, '');
  const books = o.channels?.includes('books') === true;
  const kinds = [...(o.channels === undefined || o.channels.includes('trades') ? STREAMS_PER_SYMBOL : []), ...(books ? [BOOK_STREAM] : [])];
  return createStreamingSource({
    name: BINANCE_EXCHANGE,
    exchange: BINANCE_EXCHANGE,
    plan: async (signal) => {
      const symbols = o.symbols === 'all-usdt' ? await tradingSymbolsQuotedIn(restUrl, 'USDT', signal) : o.symbols;
      if (symbols.length === 0) throw new Error('binance: no symbols to follow');
      return planStreamUrls(wsUrl, symbols, o.streamsPerConnection, kinds).map((c) => ({ url: c.url, bookSymbols: books ? c.symbols : [] }));
    },
    decode: (text) => decodeBinanceMessage(text),
    // Aggregate ids (`a…`) are another numbering and only come from dumps; plain trade ids are checked.
    sequenceOf: (t: TradeData) => (DIGITS.test(t.tradeId) ? { sequence: 'trade-id', id: Number(t.tradeId) } : undefined),
    ...(o.healGaps === false ? {} : { heal: (gap, signal) => fetchMissingTrades(restUrl, BINANCE_EXCHANGE, gap, signal) }),
    ...(books ? { books: { rules: BOOK_RULES.binance, fetchSnapshot: (symbol: string, signal: AbortSignal) => fetchDepthSnapshot(restUrl, BINANCE_EXCHANGE, symbol, signal) } } : {}),
    socket: { maxLifetimeMs: LIFETIME_MS, ...o.socket },
    ...(o.log === undefined ? {} : { log: o.log }),
  });
};
