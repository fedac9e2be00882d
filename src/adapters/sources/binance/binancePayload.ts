/**
 * Binance spot/futures stream payloads → canonical items. Field names per Binance's
 * "WebSocket Streams" documentation:
 *
 *   trade     e "trade", s symbol, t trade id, p price, q quantity, T trade time, m buyer is maker
 *   aggTrade  e "aggTrade", a aggregate trade id, p, q, f/l first/last trade id, T, m
 *   depthUpdate  the diff depth stream (binanceBook.ts)
 *   kline     e "kline", k { t open time, i interval, o h l c, v base volume, q quote volume,
 *             n trades, x is this kline closed }
 *
 * `m` true means the buyer was the maker, so the taker (the canonical side) sold. Aggregate trade
 * ids get an `a` prefix, as in the dump importer: they are a different sequence from trade ids.
 * Only closed klines are facts; an open kline is a preview that the closed one supersedes.
 */
import type { CandleData, TradeData } from '../../../domain/events/market.js';
import { splitConcatenatedSymbol } from '../../../domain/symbol.js';
import { isInterval } from '../../../domain/time.js';
import { decodeDepthUpdate } from './binanceBook.js';
import { SKIPPED, rejected, type Decoded } from '../wire/decoded.js';
import { isDecimalText, isNonNegativeInteger, isRecord, show } from '../wire/wireFields.js';

export interface PayloadContext {
  readonly exchange: string;
  /** Prefix of every rejection reason (`binance`, `file.gz:17`). */
  readonly where: string;
}

const symbolOf = (s: unknown): string | undefined => (typeof s === 'string' ? splitConcatenatedSymbol(s) : undefined);

const decodeTrade = (d: Record<string, unknown>, raw: unknown, ctx: PayloadContext, aggregate: boolean): Decoded => {
  const what = aggregate ? 'aggTrade' : 'trade';
  const reject = (why: string): Decoded => rejected(`${ctx.where}: ${what} message: ${why}`, raw);
  const symbol = symbolOf(d['s']);
  if (symbol === undefined) return reject(`s (symbol) must be like BTCUSDT, got ${show(d['s'])}`);
  const idField = aggregate ? 'a' : 't';
  const id = d[idField];
  if (!isNonNegativeInteger(id)) return reject(`${idField} (trade id) must be a non-negative integer, got ${show(id)}`);
  const p = d['p'];
  if (!isDecimalText(p)) return reject(`p (price) must be a decimal string, got ${show(p)}`);
  const q = d['q'];
  if (!isDecimalText(q)) return reject(`q (quantity) must be a decimal string, got ${show(q)}`);
  const time = d['T'];
  if (!isNonNegativeInteger(time)) return reject(`T (trade time) must be epoch milliseconds, got ${show(time)}`);
  const m = d['m'];
  if (typeof m !== 'boolean') return reject(`m (buyer is maker) must be true or false, got ${show(m)}`);
  const data: TradeData = {
    exchange: ctx.exchange,
    symbol,
    tradeId: aggregate ? `a${id}` : String(id),
    price: p,
    quantity: q,
    side: m ? 'sell' : 'buy',
    eventTime: time,
  };
  return { kind: 'trade', data };
};

const decodeKline = (d: Record<string, unknown>, raw: unknown, ctx: PayloadContext): Decoded => {
  const reject = (why: string): Decoded => rejected(`${ctx.where}: kline message: ${why}`, raw);
  const k = d['k'];
  if (!isRecord(k)) return reject('k (the kline) must be an object');
  const x = k['x'];
  if (typeof x !== 'boolean') return reject(`k.x (kline closed) must be true or false, got ${show(x)}`);
  if (!x) return SKIPPED;
  const symbol = symbolOf(k['s'] ?? d['s']);
  if (symbol === undefined) return reject(`s (symbol) must be like BTCUSDT, got ${show(k['s'] ?? d['s'])}`);
  const interval = k['i'];
  if (typeof interval !== 'string' || !isInterval(interval)) return reject(`k.i (interval) must be one of 1m, 5m, 1h, 1d, got ${show(interval)}`);
  const openTime = k['t'];
  if (!isNonNegativeInteger(openTime)) return reject(`k.t (open time) must be epoch milliseconds, got ${show(openTime)}`);
  for (const f of ['o', 'h', 'l', 'c', 'v', 'q'] as const) {
    if (!isDecimalText(k[f])) return reject(`k.${f} must be a decimal string, got ${show(k[f])}`);
  }
  const n = k['n'];
  if (!isNonNegativeInteger(n)) return reject(`k.n (number of trades) must be a non-negative integer, got ${show(n)}`);
  const data: CandleData = {
    exchange: ctx.exchange,
    symbol,
    interval,
    openTime,
    open: k['o'] as string,
    high: k['h'] as string,
    low: k['l'] as string,
    close: k['c'] as string,
    volume: k['v'] as string,
    quoteVolume: k['q'] as string,
    trades: n,
  };
  return { kind: 'candle', data };
};

/** One stream payload (the `data` of a combined-stream message, or a raw-stream message). */
export const decodeBinancePayload = (d: Record<string, unknown>, raw: unknown, ctx: PayloadContext): Decoded => {
  switch (d['e']) {
    case 'trade':
      return decodeTrade(d, raw, ctx, false);
    case 'aggTrade':
      return decodeTrade(d, raw, ctx, true);
    case 'kline':
      return decodeKline(d, raw, ctx);
    case 'depthUpdate':
      return decodeDepthUpdate(d, raw, ctx);
    default:
      // bookTicker (no `e`), 24hrTicker...: valid market data of another kind.
      return SKIPPED;
  }
};
