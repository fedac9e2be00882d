/**
 * One text frame from Bybit's v5 public spot WebSocket → canonical trades, `skipped`, or a
 * rejection. Per Bybit's "WebSocket Stream — Trade" (v5) documentation:
 *
 *   { topic: "publicTrade.BTCUSDT", type: "snapshot", ts, data: [ { T (ms), s "BTCUSDT",
 *     S "Buy" | "Sell", v (size), p (price), L, i (trade id), BT } ] }
 *
 * `S` is the taker's side. Replies to `subscribe` and `ping` ({ success, ret_msg, op }) are
 * skipped when `success` is true and rejected with Bybit's `ret_msg` when it is false.
 */
import type { TradeData } from '../../../domain/events/market.js';
import type { SourceItem } from '../../../domain/ports.js';
import { SKIPPED, decodeEach, rejected, type WireDecoded } from '../wire/decoded.js';
import { isDecimalText, isNonNegativeInteger, isRecord, parseJson, show } from '../wire/wireFields.js';
import { BYBIT_BOOK_TOPIC, decodeBybitBook } from './bybitBook.js';
import { symbolFromBybit } from './bybitSymbols.js';

export const BYBIT_EXCHANGE = 'bybit';
const TRADE_TOPIC = 'publicTrade.';
const SIDES: Readonly<Record<string, 'buy' | 'sell'>> = { Buy: 'buy', Sell: 'sell' };

/** Module level: a closure per message costs. */
const reject = (where: string, raw: unknown, why: string): SourceItem => rejected(`${where}: publicTrade message: ${why}`, raw);

export const decodeBybitTrade = (t: unknown, raw: unknown, where: string): SourceItem => {
  if (!isRecord(t)) return reject(where, raw, `a trade must be an object, got ${show(t)}`);
  const symbol = symbolFromBybit(t['s']);
  if (symbol === undefined) return reject(where, raw, `s (symbol) must be like BTCUSDT, got ${show(t['s'])}`);
  const id = t['i'];
  if (typeof id !== 'string' || id === '' || id.length > 64) return reject(where, raw, `i (trade id) must be a non-empty string, got ${show(id)}`);
  if (!isDecimalText(t['p'])) return reject(where, raw, `p (price) must be a decimal string, got ${show(t['p'])}`);
  if (!isDecimalText(t['v'])) return reject(where, raw, `v (size) must be a decimal string, got ${show(t['v'])}`);
  const side = typeof t['S'] === 'string' ? SIDES[t['S']] : undefined;
  if (side === undefined) return reject(where, raw, `S (the taker's side) must be Buy or Sell, got ${show(t['S'])}`);
  if (!isNonNegativeInteger(t['T'])) return reject(where, raw, `T (trade time) must be epoch milliseconds, got ${show(t['T'])}`);
  const data: TradeData = { exchange: BYBIT_EXCHANGE, symbol, tradeId: id, price: t['p'], quantity: t['v'], side, eventTime: t['T'] };
  return { kind: 'trade', data };
};

export const decodeBybitMessage = (text: string, where = BYBIT_EXCHANGE): WireDecoded => {
  const parsed = parseJson(text);
  if (!parsed.ok) return rejected(`${where}: ${parsed.reason}`, text);
  const m = parsed.value;
  if (!isRecord(m)) return rejected(`${where}: message is not a JSON object`, text);
  const topic = m['topic'];
  if (typeof topic === 'string') {
    if (topic.startsWith(BYBIT_BOOK_TOPIC)) return decodeBybitBook(m, text, where);
    if (!topic.startsWith(TRADE_TOPIC)) return SKIPPED;
    const data = m['data'];
    if (!Array.isArray(data)) return rejected(`${where}: publicTrade message: data must be a list, got ${show(data)}`, text);
    return decodeEach(data, decodeBybitTrade, text, where);
  }
  if (typeof m['op'] === 'string') {
    if (m['success'] === false) return rejected(`${where}: ${m['op']} refused by Bybit: ${show(m['ret_msg'])}`, text);
    return SKIPPED;
  }
  return rejected(`${where}: not a Bybit message (no "topic" or "op")`, text);
};
