/**
 * Text frames from one Bitfinex WebSocket v2 connection → canonical trades, `skipped`, or
 * rejections. Per Bitfinex's "WS Public — Trades" documentation, a subscription is answered with
 * `{ event: "subscribed", channel: "trades", chanId, symbol: "tBTCUSD", pair }`, and the channel
 * then sends arrays:
 *
 *   [chanId, [[ID, MTS, AMOUNT, PRICE], ...]]   the latest trades, on subscribe
 *   [chanId, "te", [ID, MTS, AMOUNT, PRICE]]    a trade, as soon as it executes
 *   [chanId, "tu", [ID, MTS, AMOUNT, PRICE]]    the same trade again, a moment later (skipped)
 *   [chanId, "hb"]                              heartbeat
 *
 * AMOUNT is positive when the taker bought and negative when the taker sold; the quantity is its
 * absolute value. AMOUNT and PRICE are JSON numbers, read from their literals
 * (wire/numberLiterals.ts). Channel ids belong to a connection, so each connection has its own
 * decoder (`createBitfinexConnection`). The `book` channel's messages are book events (bitfinexBook.ts). `{ event: "error" }` is a rejection; `info` is skipped, except
 * code 20051 ("Stopping. Please try to reconnect"), which is `reconnect`: the connector connects
 * again at once and catches up.
 *
 * Stale channel ids. A book is resubscribed (after a checksum mismatch) by unsubscribing its
 * chanId and subscribing again; Bitfinex stops a channel when it answers `unsubscribed`, so frames
 * of the old chanId may still come until then. Only the chanId of a pair's latest book
 * subscription feeds its book: a frame of an older one is skipped (counted), never applied to the
 * new book. A chanId Bitfinex gives again to a new subscription is the new one's. The `info`
 * message with `version` that opens every connection (Bitfinex's "How to Connect") starts the
 * channel ids afresh: those of the previous connection mean nothing on this one. A frame of a
 * chanId never subscribed to is rejected, naming it.
 */
import type { TradeData } from '../../../domain/events/market.js';
import type { SourceItem } from '../../../domain/ports.js';
import { RECONNECT, SKIPPED, oneOrMany, rejected, type WireDecoded } from '../wire/decoded.js';
import { countNumbers, decimalOfLiteral, isNegativeDecimal, numberLiterals } from '../wire/numberLiterals.js';
import { isNonNegativeInteger, isRecord, parseJson, show } from '../wire/wireFields.js';
import { decodeBitfinexBook } from './bitfinexBook.js';
import { symbolFromBitfinexPair } from './bitfinexSymbols.js';

export const BITFINEX_EXCHANGE = 'bitfinex';
/** The info code of "Stopping. Please try to reconnect" (a server restart). */
const RECONNECT_REQUESTED = 20051;

/** Module level: a closure per message costs. */
const reject = (where: string, raw: unknown, why: string): SourceItem => rejected(`${where} trade ${why}`, raw);

/**
 * One trade row; `amountLiteral` and `priceLiteral` are its AMOUNT and PRICE as written. Shared
 * with the REST answers, whose rows have the same shape.
 */
export const decodeBitfinexTrade = (row: unknown, amountLiteral: string | undefined, priceLiteral: string | undefined, symbol: string, raw: unknown, where: string): SourceItem => {
  if (!Array.isArray(row) || row.length < 4) return reject(where, raw, `must be [ID, MTS, AMOUNT, PRICE], got ${show(row)}`);
  const id: unknown = row[0];
  const mts: unknown = row[1];
  if (!isNonNegativeInteger(id)) return reject(where, raw, `ID must be a non-negative integer, got ${show(id)}`);
  if (!isNonNegativeInteger(mts)) return reject(where, raw, `MTS must be epoch milliseconds, got ${show(mts)}`);
  const amount: unknown = row[2];
  const q = decimalOfLiteral(amountLiteral, amount);
  if (q === undefined || amount === 0) return reject(where, raw, `AMOUNT must be a non-zero number (positive: the taker bought), got ${show(amount)}`);
  const p = decimalOfLiteral(priceLiteral, row[3]);
  if (p === undefined || isNegativeDecimal(p)) return reject(where, raw, `PRICE must be a non-negative number, got ${show(row[3])}`);
  const sold = isNegativeDecimal(q);
  const data: TradeData = { exchange: BITFINEX_EXCHANGE, symbol, tradeId: String(id), price: p, quantity: sold ? q.slice(1) : q, side: sold ? 'sell' : 'buy', eventTime: mts };
  return { kind: 'trade', data };
};

/** Trade rows with their literals: `at` is the index of the first row's first literal. */
export const decodeBitfinexRows = (rows: readonly unknown[], literals: readonly string[], at: number, symbol: string, raw: unknown, where: string): SourceItem[] => {
  const items: SourceItem[] = [];
  for (const [i, row] of rows.entries()) {
    // AMOUNT and PRICE are the row's third and fourth numbers.
    items.push(decodeBitfinexTrade(row, literals[at + 2], literals[at + 3], symbol, raw, `${where} row ${i}:`));
    // Bitfinex may append fields to a row; the next row starts after all of this one's numbers.
    at += countNumbers(row);
  }
  return items;
};

/**
 * AMOUNT and PRICE of a `[chanId,"te",[ID,MTS,AMOUNT,PRICE,...]]` text as written. The row is the
 * first `[` after the outer one (chanId is a number, "te" a two-letter string), and ID and MTS are
 * numbers, so AMOUNT and PRICE are the third and fourth pieces between its commas: found with
 * native searches instead of a scan of every character. decodeBitfinexTrade checks each literal
 * against the parsed value, so a row of another shape is rejected, never misread.
 */
const teLiterals = (text: string): [string | undefined, string | undefined] => {
  const open = text.indexOf('[', 1);
  const c1 = open < 0 ? -1 : text.indexOf(',', open + 1);
  const c2 = c1 < 0 ? -1 : text.indexOf(',', c1 + 1);
  const c3 = c2 < 0 ? -1 : text.indexOf(',', c2 + 1);
  if (c3 < 0) return [undefined, undefined];
  const close = text.indexOf(']', c3 + 1);
  const c4 = text.indexOf(',', c3 + 1);
  const end = c4 >= 0 && c4 < close ? c4 : close;
  return [text.slice(c2 + 1, c3).trim(), end < 0 ? undefined : text.slice(c3 + 1, end).trim()];
};

/** One connection's decoder, and the channel ids it learnt (to unsubscribe a book by its chanId). */
export interface BitfinexConnection {
  readonly decode: (text: string) => WireDecoded;
  /**
   * Retires `symbol`'s book subscription (to be resubscribed): returns its chanId, to unsubscribe,
   * and from now on skips that chanId's frames. Undefined when the book has no channel yet.
   */
  retireBook(symbol: string): number | undefined;
}

interface Channel {
  readonly channel: 'trades' | 'book';
  readonly symbol: string;
}

/** `now`: the receive time, the event time of book messages (Bitfinex sends them none). */
export const createBitfinexConnection = (where = BITFINEX_EXCHANGE, now: () => number = Date.now): BitfinexConnection => {
  const channels = new Map<number, Channel>();
  /** Each pair's book channel: the chanId of its latest subscription, none while one is retired. */
  const books = new Map<string, number>();
  const teWhere = `${where}: te message:`;
  const decode = (text: string): WireDecoded => {
    const parsed = parseJson(text);
    if (!parsed.ok) return rejected(`${where}: ${parsed.reason}`, text);
    const m = parsed.value;
    if (isRecord(m)) {
      if (m['event'] === 'subscribed' && (m['channel'] === 'trades' || m['channel'] === 'book')) {
        const symbol = typeof m['symbol'] === 'string' && m['symbol'].startsWith('t') ? symbolFromBitfinexPair(m['symbol'].slice(1)) : undefined;
        if (symbol === undefined || !isNonNegativeInteger(m['chanId'])) return rejected(`${where}: subscribed message: expected chanId and a trading symbol like tBTCUSD, got ${show(m)}`, text);
        channels.set(m['chanId'], { channel: m['channel'], symbol });
        if (m['channel'] === 'book') books.set(symbol, m['chanId']);
        return SKIPPED;
      }
      if (m['event'] === 'unsubscribed' && isNonNegativeInteger(m['chanId'])) {
        const c = channels.get(m['chanId']);
        channels.delete(m['chanId']);
        if (c?.channel === 'book' && books.get(c.symbol) === m['chanId']) books.delete(c.symbol);
        return SKIPPED;
      }
      if (m['event'] === 'info' && m['code'] === RECONNECT_REQUESTED) return RECONNECT;
      if (m['event'] === 'info' && m['version'] !== undefined) {
        channels.clear();
        books.clear();
        return SKIPPED;
      }
      if (m['event'] === 'error') return rejected(`${where}: error from Bitfinex: ${show(m['code'])} ${show(m['msg'])}`, text);
      if (typeof m['event'] === 'string') return SKIPPED;
      return rejected(`${where}: an object message must have an "event"`, text);
    }
    if (!Array.isArray(m) || !isNonNegativeInteger(m[0])) return rejected(`${where}: a channel message must be [chanId, ...]`, text);
    const channel = channels.get(m[0]);
    const second = m[1];
    if (second === 'hb' || second === 'tu') return SKIPPED;
    if (channel === undefined) return rejected(`${where}: message for channel ${m[0]}, which was never subscribed to on this connection`, text);
    if (channel.channel === 'book') {
      // A retired or replaced subscription's frame, still in flight: not this book's any more.
      if (books.get(channel.symbol) !== m[0]) return SKIPPED;
      return decodeBitfinexBook(m, channel.symbol, now(), text, where);
    }
    if (second === 'te') {
      const [amount, price] = teLiterals(text);
      return decodeBitfinexTrade(m[2], amount, price, channel.symbol, text, teWhere);
    }
    if (Array.isArray(second)) return oneOrMany(decodeBitfinexRows(second, numberLiterals(text), 1, channel.symbol, text, `${where}: snapshot`));
    return rejected(`${where}: channel message must be a snapshot, te, tu or hb, got ${show(second)}`, text);
  };
  const retireBook = (symbol: string): number | undefined => {
    const chanId = books.get(symbol);
    books.delete(symbol);
    return chanId;
  };
  return { decode, retireBook };
};

export const createBitfinexDecoder = (where = BITFINEX_EXCHANGE, now: () => number = Date.now): ((text: string) => WireDecoded) => createBitfinexConnection(where, now).decode;
