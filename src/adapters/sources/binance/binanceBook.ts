/**
 * Binance spot order books, per "How to manage a local order book correctly" (WebSocket Streams):
 * the diff depth stream `<symbol>@depth@100ms`,
 *
 *   { e: "depthUpdate", E: 1672515782136, s: "BNBBTC", U: 157, u: 160,
 *     b: [["0.0024", "10"]], a: [["0.0026", "100"]] }
 *
 * (U, u: the first and final update ids in the event; quantity "0" removes a level), and the REST
 * snapshot GET /api/v3/depth?symbol=BNBBTC&limit=1000 → { lastUpdateId, bids, asks }, which has no
 * time of its own: its event time is when it was received. Which updates join the snapshot is
 * the book keeper's rule (src/domain/orderbook/bookRules.ts).
 */
import type { BookSnapshotData, BookUpdateData } from '../../../domain/orderbook/bookEvents.js';
import { splitConcatenatedSymbol } from '../../../domain/symbol.js';
import { epochMillis, stringLevels } from '../wire/bookLevels.js';
import { rejected, type Decoded } from '../wire/decoded.js';
import { getJson } from '../wire/httpJson.js';
import { isNonNegativeInteger, isRecord, show } from '../wire/wireFields.js';
import type { PayloadContext } from './binancePayload.js';

/** Levels of the REST snapshot: 1000 a side (request weight 50; 5000 costs 250 of the 6000 a minute). */
const SNAPSHOT_LIMIT = 1000;
const REST_TIMEOUT_MS = 10_000;

export const decodeDepthUpdate = (d: Record<string, unknown>, raw: unknown, ctx: PayloadContext): Decoded => {
  const reject = (why: string): Decoded => rejected(`${ctx.where}: depthUpdate message: ${why}`, raw);
  const symbol = typeof d['s'] === 'string' ? splitConcatenatedSymbol(d['s']) : undefined;
  if (symbol === undefined) return reject(`s (symbol) must be like BTCUSDT, got ${show(d['s'])}`);
  const first = d['U'];
  if (!isNonNegativeInteger(first)) return reject(`U (first update id) must be a non-negative integer, got ${show(first)}`);
  const last = d['u'];
  if (!isNonNegativeInteger(last) || last < first) return reject(`u (final update id) must be an integer ≥ U, got ${show(last)}`);
  const time = epochMillis(d['E']);
  if (time === undefined) return reject(`E (event time) must be epoch milliseconds, got ${show(d['E'])}`);
  const bids = stringLevels(d['b'], 'b (bids)');
  if (typeof bids === 'string') return reject(bids);
  const asks = stringLevels(d['a'], 'a (asks)');
  if (typeof asks === 'string') return reject(asks);
  const data: BookUpdateData = { exchange: ctx.exchange, symbol, bids, asks, eventTime: time, firstSequence: first, sequence: last };
  return { kind: 'bookUpdate', data };
};

/** A REST depth answer as a canonical snapshot, or why it is not one. */
export const depthSnapshot = (body: unknown, symbol: string, exchange: string, receivedAt: number): BookSnapshotData => {
  if (!isRecord(body)) throw new Error(`depth of ${symbol}: expected an object, got ${show(body)}`);
  const id = body['lastUpdateId'];
  if (!isNonNegativeInteger(id)) throw new Error(`depth of ${symbol}: lastUpdateId must be a non-negative integer, got ${show(id)}`);
  const bids = stringLevels(body['bids'], 'bids');
  if (typeof bids === 'string') throw new Error(`depth of ${symbol}: ${bids}`);
  const asks = stringLevels(body['asks'], 'asks');
  if (typeof asks === 'string') throw new Error(`depth of ${symbol}: ${asks}`);
  return { exchange, symbol, bids, asks, eventTime: receivedAt, sequence: id };
};

export const fetchDepthSnapshot = async (restBase: string, exchange: string, symbol: string, signal: AbortSignal, now: () => number = Date.now): Promise<BookSnapshotData> => {
  const body = await getJson(`${restBase}/api/v3/depth?symbol=${symbol.replace('-', '')}&limit=${SNAPSHOT_LIMIT}`, { timeoutMs: REST_TIMEOUT_MS, signal });
  return depthSnapshot(body, symbol, exchange, now());
};
