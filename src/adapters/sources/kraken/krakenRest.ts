/**
 * The Kraken spot REST calls a connector needs:
 *   GET /0/public/AssetPairs   result { NAME: { wsname "XBT/USD", quote, status "online" } }
 *   GET /0/public/Trades       ?pair=XBTUSD&since=<unix seconds, or the `last` of a page>
 *                              result { NAME: [[price, volume, time (s), b|s, m|l, misc, trade_id]], last }
 * `b`/`s` is the taker's side, as in the stream. `time` is a JSON number of seconds with
 * fraction digits: it is read from its literal, and sub-millisecond digits are cut as the
 * stream's timestamps are.
 */
import type { TradeData } from '../../../domain/events/market.js';
import type { SourceItem } from '../../../domain/ports.js';
import { quoteOf } from '../../../domain/symbol.js';
import { rejected } from '../wire/decoded.js';
import { getJson, getJsonAndText } from '../wire/httpJson.js';
import { countNumbers, numberLiterals } from '../wire/numberLiterals.js';
import type { TradeIdGap } from '../wire/tradeIdGaps.js';
import { isDecimalText, isNonNegativeInteger, isRecord, show } from '../wire/wireFields.js';
import { KRAKEN_EXCHANGE } from './krakenMessage.js';
import { krakenRestPair, symbolFromKrakenPair } from './krakenSymbols.js';

const REST_TIMEOUT_MS = 10_000;
const MAX_PAGES = 20;

const resultOf = (answer: unknown, url: string): Record<string, unknown> => {
  if (!isRecord(answer)) throw new Error(`${url}: the answer is not an object`);
  const errors = answer['error'];
  if (Array.isArray(errors) && errors.length > 0) throw new Error(`${url}: Kraken answered ${show(errors)}`);
  const result = answer['result'];
  if (!isRecord(result)) throw new Error(`${url}: no "result" in the answer`);
  return result;
};

/** Every pair quoted in `quote` that is online, as BASE-QUOTE. */
export const krakenPairsQuotedIn = async (restBase: string, quote: string, signal: AbortSignal): Promise<string[]> => {
  const url = `${restBase}/0/public/AssetPairs`;
  const result = resultOf(await getJson(url, { timeoutMs: REST_TIMEOUT_MS, signal }), url);
  return Object.values(result).flatMap((p) => {
    if (!isRecord(p) || (p['status'] !== undefined && p['status'] !== 'online')) return [];
    const symbol = symbolFromKrakenPair(p['wsname']);
    return symbol !== undefined && quoteOf(symbol) === quote ? [symbol] : [];
  });
};

/** `1688671969.123456` (seconds) → 1688671969123. */
const millisOfSeconds = (literal: string | undefined): number | undefined => {
  const m = literal === undefined ? null : /^(\d+)(?:\.(\d+))?$/.exec(literal);
  if (m === null) return undefined;
  return Number(m[1]) * 1000 + Number((m[2] ?? '').slice(0, 3).padEnd(3, '0'));
};

const decodeRestTrade = (row: unknown, time: string | undefined, symbol: string): SourceItem => {
  const bad = (): SourceItem => rejected(`${KRAKEN_EXCHANGE} REST Trades: expected [price, volume, time, b|s, m|l, misc, trade_id], got ${show(row)}`, row);
  if (!Array.isArray(row)) return bad();
  const [price, volume, , side, , , id] = row as unknown[];
  const eventTime = millisOfSeconds(time);
  if (!isDecimalText(price) || !isDecimalText(volume) || (side !== 'b' && side !== 's') || !isNonNegativeInteger(id) || eventTime === undefined) return bad();
  const data: TradeData = { exchange: KRAKEN_EXCHANGE, symbol, tradeId: String(id), price, quantity: volume, side: side === 'b' ? 'buy' : 'sell', eventTime };
  return { kind: 'trade', data };
};

/** One page of trades since `since`, and the `last` cursor of the next. */
const fetchPage = async (restBase: string, symbol: string, since: string, signal: AbortSignal): Promise<{ items: SourceItem[]; last: string | undefined }> => {
  const url = `${restBase}/0/public/Trades?pair=${krakenRestPair(symbol)}&since=${since}`;
  const { value: answer, text } = await getJsonAndText(url, { timeoutMs: REST_TIMEOUT_MS, signal });
  const result = resultOf(answer, url);
  const literals = numberLiterals(text);
  let at = isRecord(answer) ? countNumbers(answer['error']) : 0;
  const items: SourceItem[] = [];
  for (const key in result) {
    const rows = result[key];
    if (key !== 'last' && Array.isArray(rows)) {
      for (const row of rows) {
        // Each row holds two numbers, time then trade_id (price and volume are strings).
        items.push(decodeRestTrade(row, literals[at], symbol));
        at += countNumbers(row);
      }
    } else at += countNumbers(rows);
  }
  const last = result['last'];
  return { items, last: typeof last === 'string' || typeof last === 'number' ? String(last) : undefined };
};

/** The trades with lastSeen < trade_id < resumedAt, paging from the time of trade `lastSeen`. */
export const fetchMissingKrakenTrades = async (restBase: string, gap: TradeIdGap, lastSeenAt: number | undefined, signal: AbortSignal): Promise<SourceItem[]> => {
  if (lastSeenAt === undefined) throw new Error('the time of the last trade seen is unknown, so there is nowhere to start');
  const items: SourceItem[] = [];
  let since = String(Math.floor(lastSeenAt / 1000));
  for (let page = 0; page < MAX_PAGES && !signal.aborted; page++) {
    const { items: got, last } = await fetchPage(restBase, gap.symbol, since, signal);
    let reached = got.length === 0;
    for (const item of got) {
      const id = item.kind === 'trade' ? Number((item.data as TradeData).tradeId) : undefined;
      if (id !== undefined && id >= gap.resumedAt) reached = true;
      if (id === undefined || (id > gap.lastSeen && id < gap.resumedAt)) items.push(item);
    }
    if (reached || last === undefined || last === since) break;
    since = last;
  }
  return items;
};
