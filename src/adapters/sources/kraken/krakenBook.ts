/**
 * Kraken's v2 `book` channel (Spot WebSocket v2 "Book", level 2) → canonical book events:
 *
 *   { channel: "book", type: "snapshot" | "update", data: [ { symbol: "BTC/USD",
 *     bids: [ { price: 45283.5, qty: 0.10000000 } ], asks: [...], checksum: 3310070434,
 *     timestamp: "2023-10-06T17:35:55.440295Z" } ] }
 *
 * Prices and quantities are JSON numbers written to the pair's full precision; the checksum is
 * taken over their text ("0.10000000" → "10000000"), so each is read from its literal in the
 * frame (wire/numberLiterals.ts), never through a double. qty 0 removes the level. A snapshot
 * carries no timestamp: its event time is when it was received.
 */
import type { BookLevel, BookSnapshotData, BookUpdateData } from '../../../domain/orderbook/bookEvents.js';
import type { SourceItem } from '../../../domain/ports.js';
import { oneOrMany, rejected, type WireDecoded } from '../wire/decoded.js';
import { parseIsoMillis } from '../wire/isoMillis.js';
import { countNumbers, decimalOfLiteral, isNegativeDecimal, numberLiterals } from '../wire/numberLiterals.js';
import { isRecord, show } from '../wire/wireFields.js';
import { symbolFromKrakenPair } from './krakenSymbols.js';

const KRAKEN = 'kraken';

/** Reads one side's levels from the literals starting at `at`; the levels or a reason, and where the next literals start. */
const readLevels = (list: unknown, side: string, literals: readonly string[], at: number): { levels: BookLevel[] | string; next: number } => {
  if (!Array.isArray(list)) return { levels: `${side} must be a list of { price, qty }, got ${show(list)}`, next: at + countNumbers(list) };
  const levels: BookLevel[] = [];
  let next = at;
  let why: string | undefined;
  for (const l of list) {
    if (!isRecord(l)) {
      why ??= `each of ${side} must be { price, qty }, got ${show(l)}`;
      next += countNumbers(l);
      continue;
    }
    let price: string | undefined;
    let qty: string | undefined;
    for (const key in l) {
      if (key === 'price') price = decimalOfLiteral(literals[next], l[key]);
      else if (key === 'qty') qty = decimalOfLiteral(literals[next], l[key]);
      next += countNumbers(l[key]);
    }
    if (price === undefined || isNegativeDecimal(price) || qty === undefined || isNegativeDecimal(qty)) why ??= `each of ${side} must have a non-negative price and qty, got ${show(l)}`;
    else levels.push([price, qty]);
  }
  return { levels: why ?? levels, next };
};

const decodeBook = (b: unknown, type: 'snapshot' | 'update', literals: readonly string[], at: number, receivedAt: number, where: string, text: string): { item: SourceItem; next: number } => {
  const reject = (why: string, next: number): { item: SourceItem; next: number } => ({ item: rejected(`${where}: book message: ${why}`, text), next });
  if (!isRecord(b)) return reject(`a book must be an object, got ${show(b)}`, at + countNumbers(b));
  let bids: BookLevel[] | string = 'bids are missing';
  let asks: BookLevel[] | string = 'asks are missing';
  let next = at;
  for (const key in b) {
    if (key === 'bids' || key === 'asks') {
      const r = readLevels(b[key], key, literals, next);
      if (key === 'bids') bids = r.levels;
      else asks = r.levels;
      next = r.next;
    } else next += countNumbers(b[key]);
  }
  const symbol = symbolFromKrakenPair(b['symbol']);
  if (symbol === undefined) return reject(`symbol must be a pair like BTC/USD, got ${show(b['symbol'])}`, next);
  if (typeof bids === 'string') return reject(bids, next);
  if (typeof asks === 'string') return reject(asks, next);
  const checksum = b['checksum'];
  if (typeof checksum !== 'number' || !Number.isInteger(checksum) || checksum < 0 || checksum > 0xffffffff) return reject(`checksum must be an unsigned 32-bit integer, got ${show(checksum)}`, next);
  const eventTime = b['timestamp'] === undefined && type === 'snapshot' ? receivedAt : parseIsoMillis(b['timestamp']);
  if (eventTime === undefined) return reject(`timestamp must be an RFC 3339 time, got ${show(b['timestamp'])}`, next);
  if (type === 'snapshot') {
    const data: BookSnapshotData = { exchange: KRAKEN, symbol, bids, asks, eventTime, checksum };
    return { item: { kind: 'bookSnapshot', data }, next };
  }
  const data: BookUpdateData = { exchange: KRAKEN, symbol, bids, asks, eventTime, checksum };
  return { item: { kind: 'bookUpdate', data }, next };
};

export const decodeKrakenBook = (m: Record<string, unknown>, text: string, where: string, receivedAt: number): WireDecoded => {
  const type = m['type'];
  if (type !== 'snapshot' && type !== 'update') return rejected(`${where}: book message: type must be snapshot or update, got ${show(type)}`, text);
  const data = m['data'];
  if (!Array.isArray(data)) return rejected(`${where}: book message: data must be a list of books, got ${show(data)}`, text);
  const literals = numberLiterals(text);
  let at = 0;
  for (const key in m) {
    if (key === 'data') break;
    at += countNumbers(m[key]);
  }
  const items: SourceItem[] = [];
  for (const b of data) {
    const r = decodeBook(b, type, literals, at, receivedAt, where, text);
    items.push(r.item);
    at = r.next;
  }
  return oneOrMany(items);
};
