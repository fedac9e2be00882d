/**
 * One text frame from Gemini's market data v2 → canonical trades, `skipped`, or a rejection.
 * Trades come with the `l2` subscription, per Gemini's "Market Data Version 2 — Level 2 Data":
 *
 *   { type: "trade", symbol: "BTCUSD", event_id, timestamp (ms), price, quantity, side, tid }
 *
 * `side` is the taker's side. The first `l2_updates` of a symbol carries the latest trades in
 * `trades` (the same shape): they are decoded, and the source drops the ones already taken.
 * With books asked for, every `l2_updates` is also a book event (geminiBook.ts); without, later
 * `l2_updates` (book changes only) are skipped. `heartbeat` and candle messages are skipped; an answer
 * with `result: "error"` is a rejection with Gemini's reason.
 */
import type { TradeData } from '../../../domain/events/market.js';
import type { SourceItem } from '../../../domain/ports.js';
import { SKIPPED, decodeEach, oneOrMany, rejected, type WireDecoded } from '../wire/decoded.js';
import { isDecimalText, isNonNegativeInteger, isRecord, parseJson, show } from '../wire/wireFields.js';
import { decodeGeminiBook } from './geminiBook.js';
import { symbolFromGemini } from './geminiSymbols.js';

export const GEMINI_EXCHANGE = 'gemini';

/** Module level: a closure per message costs. */
const reject = (where: string, raw: unknown, why: string): SourceItem => rejected(`${where}: trade message: ${why}`, raw);

export const decodeGeminiTrade = (t: unknown, raw: unknown, where: string): SourceItem => {
  if (!isRecord(t)) return reject(where, raw, `a trade must be an object, got ${show(t)}`);
  const symbol = symbolFromGemini(t['symbol']);
  if (symbol === undefined) return reject(where, raw, `symbol must be like BTCUSD, got ${show(t['symbol'])}`);
  if (!isNonNegativeInteger(t['tid'])) return reject(where, raw, `tid (trade id) must be a non-negative integer, got ${show(t['tid'])}`);
  if (!isDecimalText(t['price'])) return reject(where, raw, `price must be a decimal string, got ${show(t['price'])}`);
  if (!isDecimalText(t['quantity'])) return reject(where, raw, `quantity must be a decimal string, got ${show(t['quantity'])}`);
  const side = t['side'];
  if (side !== 'buy' && side !== 'sell') return reject(where, raw, `side (the taker's side) must be buy or sell, got ${show(side)}`);
  if (!isNonNegativeInteger(t['timestamp'])) return reject(where, raw, `timestamp must be epoch milliseconds, got ${show(t['timestamp'])}`);
  const data: TradeData = { exchange: GEMINI_EXCHANGE, symbol, tradeId: String(t['tid']), price: t['price'], quantity: t['quantity'], side, eventTime: t['timestamp'] };
  return { kind: 'trade', data };
};

/**
 * `books`: also decode the l2_updates' book changes (geminiBook.ts), with `now` as their event
 * time; without, they are skipped (a trades-only connector keeps no book).
 */
export const decodeGeminiMessage = (text: string, where = GEMINI_EXCHANGE, books = false, now: () => number = Date.now): WireDecoded => {
  const parsed = parseJson(text);
  if (!parsed.ok) return rejected(`${where}: ${parsed.reason}`, text);
  const m = parsed.value;
  if (!isRecord(m)) return rejected(`${where}: message is not a JSON object`, text);
  if (m['result'] === 'error') return rejected(`${where}: error from Gemini: ${show(m['reason'])} ${show(m['message'])}`, text);
  switch (m['type']) {
    case 'trade':
      return decodeGeminiTrade(m, text, where);
    case 'l2_updates': {
      const trades = m['trades'];
      if (trades !== undefined && !Array.isArray(trades)) return rejected(`${where}: l2_updates message: trades must be a list, got ${show(trades)}`, text);
      if (!books) return trades === undefined ? SKIPPED : decodeEach(trades, decodeGeminiTrade, text, where);
      const items = [decodeGeminiBook(m, text, where, now())];
      for (const t of trades ?? []) items.push(decodeGeminiTrade(t, text, where));
      return oneOrMany(items);
    }
    case undefined:
      return rejected(`${where}: message has no "type"`, text);
    default:
      if (typeof m['type'] !== 'string') return rejected(`${where}: type must be a string, got ${show(m['type'])}`, text);
      // heartbeat, candles, auction...: valid, not trades.
      return SKIPPED;
  }
};
