/**
 * The Bitstamp REST calls a connector needs:
 *   GET /api/v2/trading-pairs-info/        [{ name "BTC/USD", url_symbol "btcusd", trading "Enabled" }]
 *   GET /api/v2/transactions/{pair}/?time=hour   [{ date (s), tid, price, amount, type 0|1 }], newest first
 * `type` is the taker's side, as in the stream; numbers may come as text or JSON numbers.
 */
import type { TradeData } from '../../../domain/events/market.js';
import type { SourceItem } from '../../../domain/ports.js';
import { quoteOf } from '../../../domain/symbol.js';
import { rejected } from '../wire/decoded.js';
import { getJson } from '../wire/httpJson.js';
import type { LastTrade } from '../wire/streamingSource.js';
import { isDecimalText, isRecord, show } from '../wire/wireFields.js';
import { BITSTAMP_EXCHANGE } from './bitstampMessage.js';
import { bitstampPair, symbolFromBitstampPair } from './bitstampSymbols.js';

const REST_TIMEOUT_MS = 10_000;
const DIGITS = /^\d+$/;

export const bitstampPairsQuotedIn = async (restBase: string, quote: string, signal: AbortSignal): Promise<string[]> => {
  const url = `${restBase}/api/v2/trading-pairs-info/`;
  const list = await getJson(url, { timeoutMs: REST_TIMEOUT_MS, signal });
  if (!Array.isArray(list)) throw new Error(`${url}: expected a list, got ${show(list)}`);
  return list.flatMap((p) => {
    if (!isRecord(p) || p['trading'] !== 'Enabled' || typeof p['url_symbol'] !== 'string') return [];
    const symbol = symbolFromBitstampPair(p['url_symbol']);
    return symbol !== undefined && quoteOf(symbol) === quote ? [symbol] : [];
  });
};

const decodeRestTrade = (t: unknown, symbol: string): SourceItem => {
  const fields = isRecord(t) ? { tid: String(t['tid']), date: String(t['date']), type: String(t['type']), price: t['price'], amount: t['amount'] } : undefined;
  if (fields === undefined || !DIGITS.test(fields.tid) || !DIGITS.test(fields.date) || (fields.type !== '0' && fields.type !== '1') || !isDecimalText(fields.price) || !isDecimalText(fields.amount)) {
    return rejected(`${BITSTAMP_EXCHANGE} REST transactions: expected date, tid, price, amount, type 0|1, got ${show(t)}`, t);
  }
  const data: TradeData = { exchange: BITSTAMP_EXCHANGE, symbol, tradeId: fields.tid, price: fields.price, quantity: fields.amount, side: fields.type === '0' ? 'buy' : 'sell', eventTime: Number(fields.date) * 1000 };
  return { kind: 'trade', data };
};

/** The trades of the last hour from the second of `last` on (the source drops the ones already taken). */
export const fetchBitstampTradesSince = async (restBase: string, symbol: string, last: LastTrade, signal: AbortSignal): Promise<SourceItem[]> => {
  const url = `${restBase}/api/v2/transactions/${bitstampPair(symbol)}/?time=hour`;
  const list = await getJson(url, { timeoutMs: REST_TIMEOUT_MS, signal });
  if (!Array.isArray(list)) throw new Error(`${url}: expected a list, got ${show(list)}`);
  const from = Math.floor(last.eventTime / 1000) * 1000;
  return list.map((t) => decodeRestTrade(t, symbol)).filter((i) => i.kind !== 'trade' || (i.data as TradeData).eventTime >= from).reverse();
};
