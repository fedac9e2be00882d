/**
 * One text frame from Kraken's WebSocket v2 → canonical trades, `skipped`, or a rejection.
 * Per Kraken's "Spot WebSocket v2 — trade" documentation:
 *
 *   { channel: "trade", type: "snapshot" | "update", data: [ { symbol: "BTC/USD", side, price,
 *     qty, ord_type, trade_id, timestamp (RFC 3339, µs) } ] }
 *
 * `side` is the taker's side. `trade_id` is "a sequence number, unique per book", so it is the
 * continuity checked. The snapshot (the 50 latest trades, on every subscribe) repeats trades
 * already taken after a reconnect; the source drops those. `price` and `qty` are JSON numbers:
 * they are read from their literals (wire/numberLiterals.ts), never through a double.
 * `book` frames are order-book events (krakenBook.ts). `heartbeat`, `status` and other channels are skipped; an acknowledgement with `success: false`
 * (a refused subscription) is a rejection with Kraken's error text.
 */
import type { TradeData } from '../../../domain/events/market.js';
import type { SourceItem } from '../../../domain/ports.js';
import { SKIPPED, oneOrMany, rejected, type WireDecoded } from '../wire/decoded.js';
import { parseIsoMillis } from '../wire/isoMillis.js';
import { countNumbers, decimalOfLiteral, isNegativeDecimal, numberLiterals } from '../wire/numberLiterals.js';
import { isNonNegativeInteger, isRecord, parseJson, show } from '../wire/wireFields.js';
import { decodeKrakenBook } from './krakenBook.js';
import { symbolFromKrakenPair } from './krakenSymbols.js';

export const KRAKEN_EXCHANGE = 'kraken';

/** A rejected trade, and where the next trade's literals start. Module level: a closure per trade costs. */
const reject = (where: string, t: unknown, next: number, why: string): { item: SourceItem; next: number } => ({ item: rejected(`${where}: trade message: ${why}`, t), next });

const decodeTrade = (t: unknown, literals: readonly string[], at: number, where: string): { item: SourceItem; next: number } => {
  if (!isRecord(t)) return { item: rejected(`${where}: trade message: a trade must be an object, got ${show(t)}`, t), next: at + countNumbers(t) };
  let price: string | undefined;
  let qty: string | undefined;
  let next = at;
  for (const key in t) {
    const v = t[key];
    if (key === 'price') price = literals[next];
    else if (key === 'qty') qty = literals[next];
    next += countNumbers(v);
  }
  const symbol = symbolFromKrakenPair(t['symbol']);
  if (symbol === undefined) return reject(where, t, next, `symbol must be a pair like BTC/USD, got ${show(t['symbol'])}`);
  const side = t['side'];
  if (side !== 'buy' && side !== 'sell') return reject(where, t, next, `side (the taker's side) must be buy or sell, got ${show(side)}`);
  const p = decimalOfLiteral(price, t['price']);
  if (p === undefined || isNegativeDecimal(p)) return reject(where, t, next, `price must be a non-negative number, got ${show(t['price'])}`);
  const q = decimalOfLiteral(qty, t['qty']);
  if (q === undefined || isNegativeDecimal(q)) return reject(where, t, next, `qty must be a non-negative number, got ${show(t['qty'])}`);
  const id = t['trade_id'];
  if (!isNonNegativeInteger(id)) return reject(where, t, next, `trade_id must be a non-negative integer, got ${show(id)}`);
  const eventTime = parseIsoMillis(t['timestamp']);
  if (eventTime === undefined) return reject(where, t, next, `timestamp must be an RFC 3339 time, got ${show(t['timestamp'])}`);
  const data: TradeData = { exchange: KRAKEN_EXCHANGE, symbol, tradeId: String(id), price: p, quantity: q, side, eventTime };
  return { item: { kind: 'trade', data }, next };
};

const decodeTrades = (m: Record<string, unknown>, text: string, where: string): WireDecoded => {
  if (m['type'] !== 'snapshot' && m['type'] !== 'update') return rejected(`${where}: trade message: type must be snapshot or update, got ${show(m['type'])}`, text);
  const data = m['data'];
  if (!Array.isArray(data)) return rejected(`${where}: trade message: data must be a list of trades, got ${show(data)}`, text);
  const literals = numberLiterals(text);
  // Numbers ahead of `data` (none today) are stepped over, so the literals line up with the trades.
  let at = 0;
  for (const key in m) {
    if (key === 'data') break;
    at += countNumbers(m[key]);
  }
  const items: SourceItem[] = [];
  for (const t of data) {
    const r = decodeTrade(t, literals, at, where);
    items.push(r.item);
    at = r.next;
  }
  return oneOrMany(items);
};

/** `now`: the receive time, the event time of a book snapshot (Kraken sends it none). */
export const decodeKrakenMessage = (text: string, where = KRAKEN_EXCHANGE, now: () => number = Date.now): WireDecoded => {
  const parsed = parseJson(text);
  if (!parsed.ok) return rejected(`${where}: ${parsed.reason}`, text);
  const m = parsed.value;
  if (!isRecord(m)) return rejected(`${where}: message is not a JSON object`, text);
  const channel = m['channel'];
  if (channel === 'trade') return decodeTrades(m, text, where);
  if (channel === 'book') return decodeKrakenBook(m, text, where, now());
  // heartbeat, status, ticker...: valid, not market facts we take.
  if (typeof channel === 'string') return SKIPPED;
  if (typeof m['method'] === 'string') {
    if (m['success'] === false) return rejected(`${where}: ${m['method']} refused by Kraken: ${show(m['error'])}`, text);
    // subscribe/unsubscribe acknowledgements, pong.
    return SKIPPED;
  }
  return rejected(`${where}: not a Kraken v2 message (no "channel" or "method")`, text);
};
