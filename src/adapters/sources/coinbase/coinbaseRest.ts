/**
 * Healing a Coinbase trade-id gap from REST: GET /products/{id}/trades?after=N&limit≤1000 answers
 * the trades with trade_id < N, newest first ({ time, trade_id, price, size, side }, `side`
 * again the maker's side), so pages walk down from the id after the hole until it is covered.
 */
import type { SourceItem } from '../../../domain/ports.js';
import type { TradeData } from '../../../domain/events/market.js';
import { getJson } from '../wire/httpJson.js';
import type { TradeIdGap } from '../wire/tradeIdGaps.js';
import { isRecord, show } from '../wire/wireFields.js';
import { SKIPPED, rejected } from '../wire/decoded.js';
import { COINBASE_EXCHANGE, decodeCoinbaseMatch } from './coinbaseMessage.js';

const REST_TIMEOUT_MS = 10_000;
const PAGE = 1000;

export const fetchMissingCoinbaseTrades = async (restBase: string, gap: TradeIdGap, signal: AbortSignal): Promise<SourceItem[]> => {
  const items: SourceItem[] = [];
  let after = gap.resumedAt;
  while (after > gap.lastSeen + 1 && !signal.aborted) {
    const limit = Math.min(PAGE, after - gap.lastSeen - 1);
    const page = await getJson(`${restBase}/products/${gap.symbol}/trades?after=${after}&limit=${limit}`, { timeoutMs: REST_TIMEOUT_MS, signal });
    if (!Array.isArray(page)) throw new Error(`${COINBASE_EXCHANGE} trades of ${gap.symbol}: expected a list, got ${show(page)}`);
    let lowest = after;
    for (const t of page) {
      const item = isRecord(t) ? decodeCoinbaseMatch({ ...t, type: 'match', product_id: gap.symbol }, t, `${COINBASE_EXCHANGE} REST`) : rejected(`${COINBASE_EXCHANGE} REST: trade is not an object`, t);
      if (item === SKIPPED) continue;
      const id = item.kind === 'trade' ? Number((item.data as TradeData).tradeId) : undefined;
      if (id !== undefined && (id <= gap.lastSeen || id >= gap.resumedAt)) continue;
      if (id !== undefined) lowest = Math.min(lowest, id);
      items.push(item);
    }
    if (page.length === 0 || lowest >= after) break;
    after = lowest;
  }
  // Oldest first, as they happened.
  return items.reverse();
};
