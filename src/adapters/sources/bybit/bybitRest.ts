/**
 * The Bybit v5 REST calls a connector needs (answers are { retCode: 0, result: { list } }):
 *   GET /v5/market/instruments-info?category=spot   list [{ symbol, baseCoin, quoteCoin, status "Trading" }]
 *   GET /v5/market/recent-trade?category=spot&symbol=&limit=60
 *       list [{ execId, symbol, price, size, side "Buy"|"Sell", time (ms, text) }], newest first
 * Spot keeps only the latest 60 trades there: a longer outage loses the rest.
 */
import type { SourceItem } from '../../../domain/ports.js';
import { quoteOf } from '../../../domain/symbol.js';
import { rejected } from '../wire/decoded.js';
import { getJson } from '../wire/httpJson.js';
import type { LastTrade } from '../wire/streamingSource.js';
import { isRecord, show } from '../wire/wireFields.js';
import { BYBIT_EXCHANGE, decodeBybitTrade } from './bybitMessage.js';
import { bybitSymbol, symbolFromBybit } from './bybitSymbols.js';

const REST_TIMEOUT_MS = 10_000;
const DIGITS = /^\d{1,16}$/;

const listOf = async (url: string, signal: AbortSignal): Promise<unknown[]> => {
  const answer = await getJson(url, { timeoutMs: REST_TIMEOUT_MS, signal });
  const list = isRecord(answer) && answer['retCode'] === 0 && isRecord(answer['result']) ? answer['result']['list'] : undefined;
  if (!Array.isArray(list)) throw new Error(`${url}: Bybit answered ${show(answer)}`);
  return list;
};

export const bybitSpotQuotedIn = async (restBase: string, quote: string, signal: AbortSignal): Promise<string[]> =>
  (await listOf(`${restBase}/v5/market/instruments-info?category=spot`, signal)).flatMap((i) => {
    const symbol = isRecord(i) && i['status'] === 'Trading' ? symbolFromBybit(i['symbol']) : undefined;
    return symbol !== undefined && quoteOf(symbol) === quote ? [symbol] : [];
  });

/** The latest 60 trades, oldest first, in the stream's shape (the source drops repeats). */
export const fetchBybitRecentTrades = async (restBase: string, symbol: string, _last: LastTrade, signal: AbortSignal): Promise<SourceItem[]> =>
  (await listOf(`${restBase}/v5/market/recent-trade?category=spot&symbol=${bybitSymbol(symbol)}&limit=60`, signal)).map((t) => {
    const where = `${BYBIT_EXCHANGE} REST recent-trade`;
    if (!isRecord(t) || typeof t['time'] !== 'string' || !DIGITS.test(t['time'])) return rejected(`${where}: expected execId, symbol, price, size, side, time, got ${show(t)}`, t);
    return decodeBybitTrade({ T: Number(t['time']), s: t['symbol'], S: t['side'], v: t['size'], p: t['price'], i: t['execId'] }, t, where);
  }).reverse();
