/**
 * Bybit's v5 `orderbook.{depth}.{symbol}` topic (WebSocket "Orderbook") → canonical book events:
 *
 *   { topic: "orderbook.50.BTCUSDT", type: "snapshot" | "delta", ts: 1672304484978,
 *     data: { s: "BTCUSDT", b: [["16493.50", "0.006"]], a: [["16611.00", "0.029"]],
 *             u: 18521288, seq: 7961638724 }, cts: 1672304484976 }
 *
 * `u` (update id) counts the book's messages one by one; a delta with u = 1 is a whole new book
 * (the service restarted); `seq` is the cross sequence, kept. Size "0" removes a level.
 */
import type { BookSnapshotData, BookUpdateData } from '../../../domain/orderbook/bookEvents.js';
import type { SourceItem } from '../../../domain/ports.js';
import { epochMillis, stringLevels } from '../wire/bookLevels.js';
import { rejected } from '../wire/decoded.js';
import { isNonNegativeInteger, isRecord, show } from '../wire/wireFields.js';
import { symbolFromBybit } from './bybitSymbols.js';

export const BYBIT_BOOK_TOPIC = 'orderbook.';
/** The depth subscribed: 50 levels (spot offers 1, 50, 200, 1000). */
export const BYBIT_BOOK_DEPTH = 50;

export const decodeBybitBook = (m: Record<string, unknown>, text: string, where: string): SourceItem => {
  const reject = (why: string): SourceItem => rejected(`${where}: orderbook message: ${why}`, text);
  const type = m['type'];
  if (type !== 'snapshot' && type !== 'delta') return reject(`type must be snapshot or delta, got ${show(type)}`);
  const d = m['data'];
  if (!isRecord(d)) return reject(`data must be an object, got ${show(d)}`);
  const symbol = symbolFromBybit(d['s']);
  if (symbol === undefined) return reject(`s must be a spot symbol like BTCUSDT, got ${show(d['s'])}`);
  const bids = stringLevels(d['b'], 'b (bids)');
  if (typeof bids === 'string') return reject(bids);
  const asks = stringLevels(d['a'], 'a (asks)');
  if (typeof asks === 'string') return reject(asks);
  const ts = epochMillis(m['ts']);
  if (ts === undefined) return reject(`ts must be epoch milliseconds, got ${show(m['ts'])}`);
  const u = d['u'];
  if (!isNonNegativeInteger(u)) return reject(`u (update id) must be a non-negative integer, got ${show(u)}`);
  const seq = d['seq'];
  const cross = isNonNegativeInteger(seq) ? { crossSequence: seq } : {};
  if (type === 'snapshot') {
    const data: BookSnapshotData = { exchange: 'bybit', symbol, bids, asks, eventTime: ts, sequence: u };
    return { kind: 'bookSnapshot', data };
  }
  const data: BookUpdateData = { exchange: 'bybit', symbol, bids, asks, eventTime: ts, sequence: u, ...cross };
  return { kind: 'bookUpdate', data };
};
