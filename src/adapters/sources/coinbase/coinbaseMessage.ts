/**
 * One text frame from the Coinbase Exchange WebSocket feed → a canonical item, `skipped`, or a rejection.
 *
 * The `matches` channel sends `match` messages, and on subscribe one `last_match` per product:
 *   { type, trade_id, sequence, maker_order_id, taker_order_id, time (ISO-8601, µs), product_id,
 *     size, price, side }
 * `side` is the MAKER's order side (Coinbase: "the side indicates the maker order side"), so the
 * taker — the canonical side — is the opposite: a `sell` maker means the taker bought.
 * `subscriptions` and `heartbeat` replies are skipped; `error` messages are rejections, so a
 * refused subscription lands in the dead letters with Coinbase's own words.
 */
import type { TradeData } from '../../../domain/events/market.js';
import { SKIPPED, rejected, type Decoded } from '../wire/decoded.js';
import { parseIsoMillis } from '../wire/isoMillis.js';
import { isDecimalText, isNonNegativeInteger, isRecord, isSymbolText, parseJson, show } from '../wire/wireFields.js';

export const COINBASE_EXCHANGE = 'coinbase';

/** Module level: a closure per message costs. */
const reject = (where: string, m: Record<string, unknown>, raw: unknown, why: string): Decoded => rejected(`${where}: ${String(m['type'])} message: ${why}`, raw);

export const decodeCoinbaseMatch = (m: Record<string, unknown>, raw: unknown, where: string): Decoded => {
  const product = m['product_id'];
  if (!isSymbolText(product)) return reject(where, m, raw, `product_id must be like BTC-USD, got ${show(product)}`);
  const id = m['trade_id'];
  if (!isNonNegativeInteger(id)) return reject(where, m, raw, `trade_id must be a non-negative integer, got ${show(id)}`);
  if (!isDecimalText(m['price'])) return reject(where, m, raw, `price must be a decimal string, got ${show(m['price'])}`);
  if (!isDecimalText(m['size'])) return reject(where, m, raw, `size must be a decimal string, got ${show(m['size'])}`);
  const makerSide = m['side'];
  if (makerSide !== 'buy' && makerSide !== 'sell') return reject(where, m, raw, `side (the maker's side) must be buy or sell, got ${show(makerSide)}`);
  const eventTime = parseIsoMillis(m['time']);
  if (eventTime === undefined) return reject(where, m, raw, `time must be an ISO-8601 timestamp, got ${show(m['time'])}`);
  const data: TradeData = {
    exchange: COINBASE_EXCHANGE,
    symbol: product,
    tradeId: String(id),
    price: m['price'],
    quantity: m['size'],
    side: makerSide === 'buy' ? 'sell' : 'buy',
    eventTime,
  };
  return { kind: 'trade', data };
};

export const decodeCoinbaseMessage = (text: string, where = COINBASE_EXCHANGE): Decoded => {
  const parsed = parseJson(text);
  if (!parsed.ok) return rejected(`${where}: ${parsed.reason}`, text);
  const m = parsed.value;
  if (!isRecord(m)) return rejected(`${where}: message is not a JSON object`, text);
  return decodeCoinbaseExchangeMessage(m, text, where);
};

/** One parsed Exchange feed message. */
export const decodeCoinbaseExchangeMessage = (m: Record<string, unknown>, text: string, where: string): Decoded => {
  switch (m['type']) {
    case 'match':
    case 'last_match':
      return decodeCoinbaseMatch(m, text, where);
    case 'error':
      return rejected(`${where}: error from Coinbase: ${show(m['message'])}${m['reason'] === undefined ? '' : ` (${show(m['reason'])})`}`, text);
    case undefined:
      return rejected(`${where}: message has no "type"`, text);
    default:
      if (typeof m['type'] !== 'string') return rejected(`${where}: type must be a string, got ${show(m['type'])}`, text);
      // subscriptions, heartbeat, ticker, l2update...: valid, not trades.
      return SKIPPED;
  }
};
