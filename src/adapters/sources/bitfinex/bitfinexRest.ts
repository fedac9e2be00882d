/**
 * The Bitfinex v2 REST calls a connector needs:
 *   GET /v2/conf/pub:list:pair:exchange                   [["BTCUSD", "ETHUST", ...]]
 *   GET /v2/trades/{tSYMBOL}/hist?start=<ms>&limit=1000&sort=1   [[ID, MTS, AMOUNT, PRICE], ...], oldest first
 * The rows are the stream's, numbers and all, so they go through the same decoder.
 */
import type { SourceItem } from '../../../domain/ports.js';
import { quoteOf } from '../../../domain/symbol.js';
import { getJson, getJsonAndText } from '../wire/httpJson.js';
import { numberLiterals } from '../wire/numberLiterals.js';
import type { LastTrade } from '../wire/streamingSource.js';
import { show } from '../wire/wireFields.js';
import { BITFINEX_EXCHANGE, decodeBitfinexRows } from './bitfinexMessage.js';
import { bitfinexSymbol, symbolFromBitfinexPair } from './bitfinexSymbols.js';

const REST_TIMEOUT_MS = 10_000;

export const bitfinexPairsQuotedIn = async (restBase: string, quote: string, signal: AbortSignal): Promise<string[]> => {
  const url = `${restBase}/v2/conf/pub:list:pair:exchange`;
  const answer = await getJson(url, { timeoutMs: REST_TIMEOUT_MS, signal });
  const pairs = Array.isArray(answer) ? (answer[0] as unknown) : undefined;
  if (!Array.isArray(pairs)) throw new Error(`${url}: expected [[pair, ...]], got ${show(answer)}`);
  return pairs.flatMap((p) => {
    const symbol = symbolFromBitfinexPair(p);
    return symbol !== undefined && quoteOf(symbol) === quote ? [symbol] : [];
  });
};

/** Up to 1000 trades from the millisecond of `last` on, oldest first (the source drops repeats). */
export const fetchBitfinexTradesSince = async (restBase: string, symbol: string, last: LastTrade, signal: AbortSignal): Promise<SourceItem[]> => {
  const url = `${restBase}/v2/trades/${bitfinexSymbol(symbol)}/hist?start=${last.eventTime}&limit=1000&sort=1`;
  const { value: rows, text } = await getJsonAndText(url, { timeoutMs: REST_TIMEOUT_MS, signal });
  if (!Array.isArray(rows)) throw new Error(`${url}: expected a list of trades, got ${show(rows)}`);
  return decodeBitfinexRows(rows, numberLiterals(text), 0, symbol, url, `${BITFINEX_EXCHANGE} REST trades`);
};
