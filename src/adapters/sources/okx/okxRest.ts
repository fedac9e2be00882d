/**
 * The OKX REST calls a connector needs (answers are { code: "0", msg, data }):
 *   GET /api/v5/public/instruments?instType=SPOT   data [{ instId, baseCcy, quoteCcy, state "live" }]
 *   GET /api/v5/market/trades?instId=&limit=500     data [{ instId, tradeId, px, sz, side, ts }], newest first
 */
import type { SourceItem } from '../../../domain/ports.js';
import { isMarketSymbol } from '../../../domain/symbol.js';
import { getJson } from '../wire/httpJson.js';
import type { LastTrade } from '../wire/streamingSource.js';
import { isRecord, show } from '../wire/wireFields.js';
import { OKX_EXCHANGE, decodeOkxTrade } from './okxMessage.js';

const REST_TIMEOUT_MS = 10_000;

const dataOf = async (url: string, signal: AbortSignal): Promise<unknown[]> => {
  const answer = await getJson(url, { timeoutMs: REST_TIMEOUT_MS, signal });
  if (!isRecord(answer) || answer['code'] !== '0' || !Array.isArray(answer['data'])) throw new Error(`${url}: OKX answered ${show(answer)}`);
  return answer['data'];
};

export const okxSpotQuotedIn = async (restBase: string, quote: string, signal: AbortSignal): Promise<string[]> =>
  (await dataOf(`${restBase}/api/v5/public/instruments?instType=SPOT`, signal)).flatMap((i) =>
    isRecord(i) && i['state'] === 'live' && i['quoteCcy'] === quote && typeof i['instId'] === 'string' && isMarketSymbol(i['instId']) ? [i['instId']] : []);

/** The latest 500 trades, oldest first (the source drops the ones already taken). */
export const fetchOkxRecentTrades = async (restBase: string, symbol: string, _last: LastTrade, signal: AbortSignal): Promise<SourceItem[]> =>
  (await dataOf(`${restBase}/api/v5/market/trades?instId=${symbol}&limit=500`, signal)).map((t) => decodeOkxTrade(t, t, `${OKX_EXCHANGE} REST`)).reverse();
