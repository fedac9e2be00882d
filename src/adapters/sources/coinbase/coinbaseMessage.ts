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
import { isMarketSymbol } from '../../../domain/symbol.js';
import { SKIPPED, rejected, type Decoded } from '../wire/decoded.js';
import { isDecimalText, isNonNegativeInteger, isRecord, parseJson, show } from '../wire/wireFields.js';

export const COINBASE_EXCHANGE = 'coinbase';

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (year: number, month: number): number =>
  month === 2 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : DAYS[month - 1]!;

const digitsAt = (s: string, from: number, n: number): number => {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
};

/** The layout Coinbase sends, `2014-11-07T08:19:27.028459Z` (3 to 9 fraction digits, UTC), read without a regex. */
const parseUtcFast = (s: string): number | undefined => {
  const n = s.length;
  if (n < 24 || n > 30 || s.charCodeAt(n - 1) !== 90 /* Z */ || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':' || s[19] !== '.') return undefined;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  const h = digitsAt(s, 11, 2);
  const mi = digitsAt(s, 14, 2);
  const sec = digitsAt(s, 17, 2);
  const ms = digitsAt(s, 20, 3);
  if (digitsAt(s, 23, n - 24) < 0 || year < 0 || ms < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  return Date.UTC(year, month - 1, day, h, mi, sec, ms);
};

/**
 * ISO-8601 with up to nanoseconds → epoch ms (sub-millisecond digits are cut, not rounded).
 * Parsed by hand: Date.parse is the slowest step of decoding a match.
 */
export const parseIsoMillis = (s: unknown): number | undefined => {
  if (typeof s !== 'string') return undefined;
  const fast = parseUtcFast(s);
  if (fast !== undefined) return fast;
  const m = ISO_TIME.exec(s);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, sec, frac, zone] = m as unknown as [string, string, string, string, string, string, string, string | undefined, string];
  const month = Number(mo);
  const day = Number(d);
  const year = Number(y);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 60) return undefined;
  let ms = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(sec), frac === undefined ? 0 : Number(frac.length >= 3 ? frac.slice(0, 3) : frac.padEnd(3, '0')));
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return ms >= 0 ? ms : undefined;
};

export const decodeCoinbaseMatch = (m: Record<string, unknown>, raw: unknown, where: string): Decoded => {
  const reject = (why: string): Decoded => rejected(`${where}: ${String(m['type'])} message: ${why}`, raw);
  const product = m['product_id'];
  if (typeof product !== 'string' || !isMarketSymbol(product)) return reject(`product_id must be like BTC-USD, got ${show(product)}`);
  const id = m['trade_id'];
  if (!isNonNegativeInteger(id)) return reject(`trade_id must be a non-negative integer, got ${show(id)}`);
  if (!isDecimalText(m['price'])) return reject(`price must be a decimal string, got ${show(m['price'])}`);
  if (!isDecimalText(m['size'])) return reject(`size must be a decimal string, got ${show(m['size'])}`);
  const makerSide = m['side'];
  if (makerSide !== 'buy' && makerSide !== 'sell') return reject(`side (the maker's side) must be buy or sell, got ${show(makerSide)}`);
  const eventTime = parseIsoMillis(m['time']);
  if (eventTime === undefined) return reject(`time must be an ISO-8601 timestamp, got ${show(m['time'])}`);
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
