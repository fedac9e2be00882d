/**
 * Bitstamp order books (WebSocket API v2 "diff_order_book" channel, REST "order_book"):
 *
 *   { event: "data", channel: "diff_order_book_btcusd",
 *     data: { timestamp: "1643643584", microtimestamp: "1643643584684047",
 *             bids: [["36450", "0.01"]], asks: [["36451", "0"]] } }
 *
 * and GET /api/v2/order_book/{pair}/ → { timestamp, microtimestamp, bids, asks }. Amount "0"
 * removes a level. `microtimestamp` orders them: a diff not after the snapshot's is already in it
 * (the book keeper's rule, src/domain/orderbook/bookRules.ts).
 */
import type { BookSnapshotData } from '../../../domain/orderbook/bookEvents.js';
import type { SourceItem } from '../../../domain/ports.js';
import { stringLevels } from '../wire/bookLevels.js';
import { rejected } from '../wire/decoded.js';
import { getJson } from '../wire/httpJson.js';
import { isRecord, show } from '../wire/wireFields.js';
import { bitstampPair, symbolFromBitstampPair } from './bitstampSymbols.js';

export const DIFF_BOOK_CHANNEL = 'diff_order_book_';
const REST_TIMEOUT_MS = 10_000;

/** A microtimestamp as Bitstamp writes it (digits), and its event time in ms; undefined when it is not one. */
const micros = (u: unknown): { micros: number; ms: number } | undefined => {
  if (typeof u !== 'string' || !/^\d{13,16}$/.test(u)) return undefined;
  const n = Number(u);
  return { micros: n, ms: Math.floor(n / 1000) };
};

interface Book { readonly bids: BookSnapshotData['bids']; readonly asks: BookSnapshotData['asks']; readonly micros: number; readonly ms: number }
const bookOf = (d: unknown): Book | string => {
  if (!isRecord(d)) return `data must be an object, got ${show(d)}`;
  const t = micros(d['microtimestamp']);
  if (t === undefined) return `microtimestamp must be epoch microseconds as digits, got ${show(d['microtimestamp'])}`;
  const bids = stringLevels(d['bids'], 'bids');
  if (typeof bids === 'string') return bids;
  const asks = stringLevels(d['asks'], 'asks');
  if (typeof asks === 'string') return asks;
  return { bids, asks, ...t };
};

export const decodeBitstampDiff = (m: Record<string, unknown>, channel: string, text: string, where: string): SourceItem => {
  const symbol = symbolFromBitstampPair(channel.slice(DIFF_BOOK_CHANNEL.length));
  if (symbol === undefined) return rejected(`${where}: diff_order_book message: channel must be diff_order_book_<pair> like diff_order_book_btcusd, got ${show(channel)}`, text);
  const b = bookOf(m['data']);
  if (typeof b === 'string') return rejected(`${where}: diff_order_book message: ${b}`, text);
  return { kind: 'bookUpdate', data: { exchange: 'bitstamp', symbol, bids: b.bids, asks: b.asks, eventTime: b.ms, sequence: b.micros } };
};

export const fetchBitstampBook = async (restBase: string, symbol: string, signal: AbortSignal): Promise<BookSnapshotData> => {
  const body = await getJson(`${restBase}/api/v2/order_book/${bitstampPair(symbol)}/`, { timeoutMs: REST_TIMEOUT_MS, signal });
  const b = bookOf(body);
  if (typeof b === 'string') throw new Error(`order_book of ${symbol}: ${b}`);
  return { exchange: 'bitstamp', symbol, bids: b.bids, asks: b.asks, eventTime: b.ms, sequence: b.micros };
};
