/**
 * The Gemini REST calls a connector needs:
 *   GET /v1/symbols                                       ["btcusd", "ethusd", ...]
 *   GET /v1/trades/{symbol}?timestamp=<ms>&limit_trades=500
 *       [{ timestamp (s), timestampms, tid, price, amount, exchange, type }], newest first
 * `type` is the taker's side (`buy`: an ask was taken by an incoming buy); `auction` and `block`
 * trades have no taker and are rejected with that reason rather than given a side they lack.
 */
import type { TradeData } from '../../../domain/events/market.js';
import type { SourceItem } from '../../../domain/ports.js';
import { quoteOf } from '../../../domain/symbol.js';
import { rejected } from '../wire/decoded.js';
import { getJson } from '../wire/httpJson.js';
import type { LastTrade } from '../wire/streamingSource.js';
import { isDecimalText, isNonNegativeInteger, isRecord, show } from '../wire/wireFields.js';
import { GEMINI_EXCHANGE } from './geminiMessage.js';
import { geminiSymbol, symbolFromGemini } from './geminiSymbols.js';

const REST_TIMEOUT_MS = 10_000;

export const geminiSymbolsQuotedIn = async (restBase: string, quote: string, signal: AbortSignal): Promise<string[]> => {
  const url = `${restBase}/v1/symbols`;
  const list = await getJson(url, { timeoutMs: REST_TIMEOUT_MS, signal });
  if (!Array.isArray(list)) throw new Error(`${url}: expected a list of symbols, got ${show(list)}`);
  return list.flatMap((name) => {
    const symbol = symbolFromGemini(name);
    return symbol !== undefined && quoteOf(symbol) === quote ? [symbol] : [];
  });
};

const decodeRestTrade = (t: unknown, symbol: string): SourceItem => {
  if (!isRecord(t) || !isNonNegativeInteger(t['tid']) || !isNonNegativeInteger(t['timestampms']) || !isDecimalText(t['price']) || !isDecimalText(t['amount'])) {
    return rejected(`${GEMINI_EXCHANGE} REST trades: expected tid, timestampms, price, amount, type, got ${show(t)}`, t);
  }
  const type = t['type'];
  if (type !== 'buy' && type !== 'sell') return rejected(`${GEMINI_EXCHANGE} REST trades: trade ${String(t['tid'])} is of type ${show(type)}, which has no taker side`, t);
  const data: TradeData = { exchange: GEMINI_EXCHANGE, symbol, tradeId: String(t['tid']), price: t['price'], quantity: t['amount'], side: type, eventTime: t['timestampms'] };
  return { kind: 'trade', data };
};

/** Up to 500 trades from the millisecond of `last` on, oldest first (the source drops repeats). */
export const fetchGeminiTradesSince = async (restBase: string, symbol: string, last: LastTrade, signal: AbortSignal): Promise<SourceItem[]> => {
  const url = `${restBase}/v1/trades/${geminiSymbol(symbol).toLowerCase()}?timestamp=${last.eventTime}&limit_trades=500`;
  const list = await getJson(url, { timeoutMs: REST_TIMEOUT_MS, signal });
  if (!Array.isArray(list)) throw new Error(`${url}: expected a list, got ${show(list)}`);
  return list.map((t) => decodeRestTrade(t, symbol)).reverse();
};
