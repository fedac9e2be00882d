/**
 * One text frame from OKX's public WebSocket (API v5) → canonical trades, `skipped`, or a
 * rejection. Per OKX's "WS / Trades channel" documentation:
 *
 *   { arg: { channel: "trades", instId: "BTC-USDT" }, data: [ { instId, tradeId, px, sz, side,
 *     ts (ms, text), count } ] }
 *
 * `side` is the taker's side; `instId` is already BASE-QUOTE. `{ event: "subscribe" }`
 * acknowledgements and the text `pong` (the answer to our keep-alive `ping`) are skipped;
 * `{ event: "error", code, msg }` is a rejection with OKX's words.
 */
import type { TradeData } from '../../../domain/events/market.js';
import type { SourceItem } from '../../../domain/ports.js';
import { SKIPPED, decodeEach, rejected, type WireDecoded } from '../wire/decoded.js';
import { isDecimalText, isRecord, isSymbolText, parseJson, show } from '../wire/wireFields.js';
import { decodeOkxBook } from './okxBook.js';

export const OKX_EXCHANGE = 'okx';
const DIGITS = /^\d{1,19}$/;

/** Module level: a closure per message costs. */
const reject = (where: string, raw: unknown, why: string): SourceItem => rejected(`${where}: trades message: ${why}`, raw);

export const decodeOkxTrade = (t: unknown, raw: unknown, where: string): SourceItem => {
  if (!isRecord(t)) return reject(where, raw, `a trade must be an object, got ${show(t)}`);
  const symbol = t['instId'];
  if (!isSymbolText(symbol)) return reject(where, raw, `instId must be like BTC-USDT, got ${show(symbol)}`);
  const id = t['tradeId'];
  if (typeof id !== 'string' || !DIGITS.test(id)) return reject(where, raw, `tradeId must be digits, got ${show(id)}`);
  if (!isDecimalText(t['px'])) return reject(where, raw, `px (price) must be a decimal string, got ${show(t['px'])}`);
  if (!isDecimalText(t['sz'])) return reject(where, raw, `sz (size) must be a decimal string, got ${show(t['sz'])}`);
  const side = t['side'];
  if (side !== 'buy' && side !== 'sell') return reject(where, raw, `side (the taker's side) must be buy or sell, got ${show(side)}`);
  const ts = t['ts'];
  if (typeof ts !== 'string' || !DIGITS.test(ts) || !Number.isSafeInteger(Number(ts))) return reject(where, raw, `ts must be epoch milliseconds as text, got ${show(ts)}`);
  const data: TradeData = { exchange: OKX_EXCHANGE, symbol, tradeId: id, price: t['px'], quantity: t['sz'], side, eventTime: Number(ts) };
  return { kind: 'trade', data };
};

export const decodeOkxMessage = (text: string, where = OKX_EXCHANGE): WireDecoded => {
  if (text === 'pong') return SKIPPED;
  const parsed = parseJson(text);
  if (!parsed.ok) return rejected(`${where}: ${parsed.reason}`, text);
  const m = parsed.value;
  if (!isRecord(m)) return rejected(`${where}: message is not a JSON object`, text);
  if (m['event'] === 'error') return rejected(`${where}: error from OKX: ${show(m['code'])} ${show(m['msg'])}`, text);
  if (typeof m['event'] === 'string') return SKIPPED;
  const arg = m['arg'];
  if (!isRecord(arg) || typeof arg['channel'] !== 'string') return rejected(`${where}: not an OKX push (no "event" or "arg.channel")`, text);
  if (arg['channel'] === 'books') return decodeOkxBook(m, arg['instId'], text, where);
  if (arg['channel'] !== 'trades') return SKIPPED;
  const data = m['data'];
  if (!Array.isArray(data)) return rejected(`${where}: trades message: data must be a list, got ${show(data)}`, text);
  return decodeEach(data, decodeOkxTrade, text, where);
};
