/**
 * One text frame from Bitstamp's WebSocket v2 → a canonical trade, `skipped`, or a rejection.
 * Per Bitstamp's "WebSocket API v2" documentation, a trade on channel `live_trades_{pair}` is
 *
 *   { event: "trade", channel: "live_trades_btcusd", data: { id, amount, amount_str, price,
 *     price_str, type, timestamp (s, text), microtimestamp (µs, text), buy_order_id, sell_order_id } }
 *
 * `type` 0 is a buy and 1 a sell, of the order that took liquidity: the taker's side. The decimal
 * texts are `price_str` and `amount_str` (the bare `price`/`amount` are JSON numbers).
 * `bts:subscription_succeeded` and `bts:heartbeat` replies are skipped; `bts:request_reconnect`
 * (Bitstamp is about to close the connection and asks the client to connect again) is
 * `reconnect`: the connector reconnects at once and catches up; `bts:error` is a rejection with
 * Bitstamp's words.
 */
import type { TradeData } from '../../../domain/events/market.js';
import { RECONNECT, SKIPPED, rejected, type Decoded, type WireDecoded } from '../wire/decoded.js';
import { isDecimalText, isNonNegativeInteger, isRecord, parseJson, show } from '../wire/wireFields.js';
import { DIFF_BOOK_CHANNEL, decodeBitstampDiff } from './bitstampBook.js';
import { symbolFromBitstampPair } from './bitstampSymbols.js';

export const BITSTAMP_EXCHANGE = 'bitstamp';
const TRADES_CHANNEL = 'live_trades_';
const DIGITS = /^\d{4,}$/;

/** Module level: a closure per message costs. */
const reject = (where: string, raw: unknown, why: string): Decoded => rejected(`${where}: trade message: ${why}`, raw);

const decodeTrade = (m: Record<string, unknown>, raw: unknown, where: string): Decoded => {
  const channel = m['channel'];
  const symbol = typeof channel === 'string' && channel.startsWith(TRADES_CHANNEL) ? symbolFromBitstampPair(channel.slice(TRADES_CHANNEL.length)) : undefined;
  if (symbol === undefined) return reject(where, raw, `channel must be live_trades_<pair> like live_trades_btcusd, got ${show(channel)}`);
  const d = m['data'];
  if (!isRecord(d)) return reject(where, raw, `data must be an object, got ${show(d)}`);
  if (!isNonNegativeInteger(d['id'])) return reject(where, raw, `data.id (trade id) must be a non-negative integer, got ${show(d['id'])}`);
  if (!isDecimalText(d['price_str'])) return reject(where, raw, `data.price_str must be a decimal string, got ${show(d['price_str'])}`);
  if (!isDecimalText(d['amount_str'])) return reject(where, raw, `data.amount_str must be a decimal string, got ${show(d['amount_str'])}`);
  const type = d['type'];
  if (type !== 0 && type !== 1) return reject(where, raw, `data.type (the taker's side) must be 0 (buy) or 1 (sell), got ${show(type)}`);
  const micro = d['microtimestamp'];
  if (typeof micro !== 'string' || !DIGITS.test(micro)) return reject(where, raw, `data.microtimestamp must be epoch microseconds as text, got ${show(micro)}`);
  const data: TradeData = {
    exchange: BITSTAMP_EXCHANGE,
    symbol,
    tradeId: String(d['id']),
    price: d['price_str'],
    quantity: d['amount_str'],
    side: type === 0 ? 'buy' : 'sell',
    eventTime: Number(micro.slice(0, -3)),
  };
  return { kind: 'trade', data };
};

export const decodeBitstampMessage = (text: string, where = BITSTAMP_EXCHANGE): WireDecoded => {
  const parsed = parseJson(text);
  if (!parsed.ok) return rejected(`${where}: ${parsed.reason}`, text);
  const m = parsed.value;
  if (!isRecord(m)) return rejected(`${where}: message is not a JSON object`, text);
  const event = m['event'];
  if (event === 'trade') return decodeTrade(m, text, where);
  if (event === 'data' && typeof m['channel'] === 'string' && m['channel'].startsWith(DIFF_BOOK_CHANNEL)) return decodeBitstampDiff(m, m['channel'], text, where);
  if (event === 'bts:request_reconnect') return RECONNECT;
  if (event === 'bts:error') return rejected(`${where}: error from Bitstamp: ${show(isRecord(m['data']) ? m['data']['message'] : m['data'])}`, text);
  if (typeof event === 'string') return SKIPPED;
  return rejected(`${where}: message has no "event"`, text);
};
