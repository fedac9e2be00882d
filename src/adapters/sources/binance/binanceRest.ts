/**
 * The Binance spot REST calls a connector needs:
 *   GET /api/v3/exchangeInfo          symbols[] { symbol, status, baseAsset, quoteAsset }
 *   GET /api/v3/historicalTrades      ?symbol=&fromId=&limit≤1000 → [{ id, price, qty, quoteQty,
 *                                     time, isBuyerMaker, isBestMatch }], oldest first
 */
import type { TradeData } from '../../../domain/events/market.js';
import type { SourceItem } from '../../../domain/ports.js';
import { isMarketSymbol } from '../../../domain/symbol.js';
import { rejected } from '../wire/decoded.js';
import { getJson } from '../wire/httpJson.js';
import type { TradeIdGap } from '../wire/tradeIdGaps.js';
import { isDecimalText, isNonNegativeInteger, isRecord, show } from '../wire/wireFields.js';

const REST_TIMEOUT_MS = 10_000;
const MAX_LIMIT = 1000;

/** Every symbol quoted in `quote` that is trading now, as BASE-QUOTE. */
export const tradingSymbolsQuotedIn = async (restBase: string, quote: string, signal: AbortSignal): Promise<string[]> => {
  const info = await getJson(`${restBase}/api/v3/exchangeInfo`, { timeoutMs: REST_TIMEOUT_MS, signal });
  const list = isRecord(info) ? info['symbols'] : undefined;
  if (!Array.isArray(list)) throw new Error(`${restBase}/api/v3/exchangeInfo: no "symbols" list in the answer`);
  const out: string[] = [];
  for (const s of list) {
    if (!isRecord(s) || s['status'] !== 'TRADING' || s['quoteAsset'] !== quote || typeof s['baseAsset'] !== 'string') continue;
    const symbol = `${s['baseAsset']}-${quote}`;
    if (isMarketSymbol(symbol)) out.push(symbol);
  }
  return out;
};

const decodeRestTrade = (t: unknown, symbol: string, exchange: string): SourceItem => {
  if (!isRecord(t)) return rejected(`${exchange} historicalTrades: entry is not an object`, t);
  const { id, price, qty, time, isBuyerMaker } = t;
  if (!isNonNegativeInteger(id) || !isDecimalText(price) || !isDecimalText(qty) || !isNonNegativeInteger(time) || typeof isBuyerMaker !== 'boolean') {
    return rejected(`${exchange} historicalTrades: expected id, price, qty, time, isBuyerMaker, got ${show(t)}`, t);
  }
  const data: TradeData = { exchange, symbol, tradeId: String(id), price, quantity: qty, side: isBuyerMaker ? 'sell' : 'buy', eventTime: time };
  return { kind: 'trade', data };
};

/** The trades with lastSeen < id < resumedAt, fetched page by page (1000 a page). */
export const fetchMissingTrades = async (restBase: string, exchange: string, gap: TradeIdGap, signal: AbortSignal): Promise<SourceItem[]> => {
  const pair = gap.symbol.replace('-', '');
  const items: SourceItem[] = [];
  let from = gap.lastSeen + 1;
  while (from < gap.resumedAt && !signal.aborted) {
    const limit = Math.min(MAX_LIMIT, gap.resumedAt - from);
    const page = await getJson(`${restBase}/api/v3/historicalTrades?symbol=${pair}&fromId=${from}&limit=${limit}`, { timeoutMs: REST_TIMEOUT_MS, signal });
    if (!Array.isArray(page)) throw new Error(`historicalTrades for ${pair}: expected a list, got ${show(page)}`);
    if (page.length === 0) break;
    let highest = from - 1;
    for (const t of page) {
      const item = decodeRestTrade(t, gap.symbol, exchange);
      const id = item.kind === 'trade' ? Number((item.data as TradeData).tradeId) : undefined;
      if (id !== undefined && (id <= gap.lastSeen || id >= gap.resumedAt)) continue;
      if (id !== undefined) highest = Math.max(highest, id);
      items.push(item);
    }
    if (highest < from) break;
    from = highest + 1;
  }
  return items;
};
