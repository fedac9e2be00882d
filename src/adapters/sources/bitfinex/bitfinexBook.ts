/**
 * Bitfinex's `book` channel (WebSocket v2 "Books", precision P0, length 25) → canonical book
 * events. After `{ event: "subscribed", channel: "book", chanId, symbol: "tBTCUSD", ... }`:
 *
 *   [chanId, [[PRICE, COUNT, AMOUNT], ...]]   the book, on subscribe
 *   [chanId, [PRICE, COUNT, AMOUNT]]          one level changed
 *   [chanId, "cs", CHECKSUM]                  CRC32 of the top 25 (with conf flag 131072, "WebSocket Checksum")
 *
 * AMOUNT is positive for a bid and negative for an ask; its absolute value is the level's
 * quantity. COUNT 0 removes the level (AMOUNT is then 1 for a bid, -1 for an ask). PRICE and
 * AMOUNT are JSON numbers, read from their literals (wire/numberLiterals.ts): the checksum is taken
 * over them. A checksum message is an update with no levels that carries the checksum, which the
 * keeper checks against its book (bookRules.ts). Book messages carry no time: the receive time is
 * their event time.
 */
import type { BookLevel, BookSnapshotData, BookUpdateData } from '../../../domain/orderbook/bookEvents.js';
import type { SourceItem } from '../../../domain/ports.js';
import { rejected } from '../wire/decoded.js';
import { countNumbers, decimalOfLiteral, isNegativeDecimal, numberLiterals } from '../wire/numberLiterals.js';
import { isNonNegativeInteger, show } from '../wire/wireFields.js';

const EXCHANGE = 'bitfinex';

/** A level read into its side, or the reason it is not one. */
const readEntry = (row: unknown, literals: readonly string[], at: number, bids: BookLevel[], asks: BookLevel[]): string | undefined => {
  if (!Array.isArray(row) || row.length < 3) return `each entry must be [PRICE, COUNT, AMOUNT], got ${show(row)}`;
  const price = decimalOfLiteral(literals[at], row[0]);
  if (price === undefined || isNegativeDecimal(price)) return `PRICE must be a non-negative number, got ${show(row[0])}`;
  if (!isNonNegativeInteger(row[1])) return `COUNT must be a non-negative integer, got ${show(row[1])}`;
  const amount = decimalOfLiteral(literals[at + 2], row[2]);
  if (amount === undefined || row[2] === 0) return `AMOUNT must be a non-zero number (positive: a bid, negative: an ask), got ${show(row[2])}`;
  const ask = isNegativeDecimal(amount);
  const level: BookLevel = [price, row[1] === 0 ? '0' : ask ? amount.slice(1) : amount];
  (ask ? asks : bids).push(level);
  return undefined;
};

/** Module level: a closure per message costs. */
const reject = (where: string, text: string, why: string): SourceItem => rejected(`${where}: book message: ${why}`, text);

/**
 * One book channel message (`m` parsed from `text`) for the book of `symbol`. The number literals
 * are read only for a level or a book (a checksum message needs none).
 */
export const decodeBitfinexBook = (m: readonly unknown[], symbol: string, receivedAt: number, text: string, where: string): SourceItem => {
  const second = m[1];
  const bids: BookLevel[] = [];
  const asks: BookLevel[] = [];
  if (second === 'cs') {
    const sum = m[2];
    if (typeof sum !== 'number' || !Number.isInteger(sum) || sum < -0x80000000 || sum > 0x7fffffff) return reject(where, text, `CHECKSUM must be a signed 32-bit integer, got ${show(sum)}`);
    const update: BookUpdateData = { exchange: EXCHANGE, symbol, bids, asks, eventTime: receivedAt, checksum: sum };
    return { kind: 'bookUpdate', data: update };
  }
  if (!Array.isArray(second)) return reject(where, text, `must be a book, a level or a checksum, got ${show(second)}`);
  const literals = numberLiterals(text);
  if (second.length === 0 || Array.isArray(second[0])) {
    let at = 1;
    for (const row of second) {
      const why = readEntry(row, literals, at, bids, asks);
      if (why !== undefined) return reject(where, text, why);
      at += countNumbers(row);
    }
    const snapshot: BookSnapshotData = { exchange: EXCHANGE, symbol, bids, asks, eventTime: receivedAt };
    return { kind: 'bookSnapshot', data: snapshot };
  }
  const why = readEntry(second, literals, 1, bids, asks);
  if (why !== undefined) return reject(where, text, why);
  const update: BookUpdateData = { exchange: EXCHANGE, symbol, bids, asks, eventTime: receivedAt };
  return { kind: 'bookUpdate', data: update };
};
