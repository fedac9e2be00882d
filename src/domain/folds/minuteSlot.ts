/**
 * One minute of one series (exchange + symbol), the unit both layers store.
 *
 * A minute can be known from trades, from the exchange's own closed kline, or both (a feed that
 * subscribes to both). Adding them would count the minute twice, so they are kept apart and the
 * exchange's kline, when present, is the minute's candle: it is complete by construction,
 * while our trades may have gaps. Larger intervals are always rolled up from these minutes.
 */
import { QUOTE_SCALE, parseFixed } from '../decimal.js';
import type { CandleData } from '../events/market.js';
import { INTERVAL_MS } from '../time.js';
import { addTradeToCandle, candleOfTrade, mergeCandles, type Candle, type StoredCandle, loadCandle, storeCandle, type TradePoint } from './candle.js';

export interface MinuteSlot {
  readonly fromTrades: Candle | undefined;
  readonly fromKline: Candle | undefined;
}

export const EMPTY_SLOT: MinuteSlot = { fromTrades: undefined, fromKline: undefined };

/**
 * The minute's candle: the kline's when there is one, else the trades'. An exchange's kline does
 * not say which side took the liquidity, so its taker volumes are the minute's trades' (zero when
 * none were recorded): order flow always counts the trades we saw, with their sides.
 */
export const slotCandle = (s: MinuteSlot): Candle | undefined =>
  s.fromKline === undefined
    ? s.fromTrades
    : { ...s.fromKline, takerBuyVolume: s.fromTrades?.takerBuyVolume ?? 0n, takerSellVolume: s.fromTrades?.takerSellVolume ?? 0n };

export const addTrade = (s: MinuteSlot, trade: TradePoint): MinuteSlot => ({
  fromTrades: s.fromTrades === undefined ? candleOfTrade(trade, '1m') : addTradeToCandle(s.fromTrades, trade),
  fromKline: s.fromKline,
});

/** Keys that sort before and after any trade id, so a kline's open/close lose ties to nothing. */
const KLINE_OPEN_KEY = '';
const KLINE_CLOSE_KEY = '\uffff';

/** A 1m kline as a candle. Undefined for klines of other intervals (they are recorded, not folded). */
export const candleOfKline = (k: CandleData): Candle | undefined => {
  if (k.interval !== '1m') return undefined;
  const volume = parseFixed(k.volume);
  const quote = parseFixed(k.quoteVolume);
  if (volume === undefined || quote === undefined) return undefined;
  return {
    bucketStart: k.openTime,
    openTime: k.openTime,
    openKey: KLINE_OPEN_KEY,
    open: Number(k.open),
    high: Number(k.high),
    low: Number(k.low),
    closeTime: k.openTime + INTERVAL_MS['1m'] - 1,
    closeKey: KLINE_CLOSE_KEY,
    close: Number(k.close),
    volume,
    // quoteVolume arrives at scale 18; candles keep quote volume at scale 36.
    quoteVolume: quote * 10n ** BigInt(QUOTE_SCALE / 2),
    // Set from the minute's trades by slotCandle.
    takerBuyVolume: 0n,
    takerSellVolume: 0n,
    trades: k.trades,
  };
};

/** A kline for a minute that already has one: keep the fuller one (more trades, then more volume). */
export const addKline = (s: MinuteSlot, c: Candle): MinuteSlot => {
  const prev = s.fromKline;
  const keepPrev = prev !== undefined && (prev.trades > c.trades || (prev.trades === c.trades && prev.volume >= c.volume));
  return { fromTrades: s.fromTrades, fromKline: keepPrev ? prev : c };
};

export interface StoredSlot {
  readonly t: StoredCandle | null;
  readonly k: StoredCandle | null;
}

export const storeSlot = (s: MinuteSlot): StoredSlot => ({
  t: s.fromTrades === undefined ? null : storeCandle(s.fromTrades),
  k: s.fromKline === undefined ? null : storeCandle(s.fromKline),
});

export const loadSlot = (s: StoredSlot): MinuteSlot => ({
  fromTrades: s.t === null ? undefined : loadCandle(s.t),
  fromKline: s.k === null ? undefined : loadCandle(s.k),
});

/** Merges two slots of the same minute (what the batch layer does when new trades arrive). */
export const mergeSlots = (a: MinuteSlot, b: MinuteSlot): MinuteSlot => {
  const trades = a.fromTrades === undefined ? b.fromTrades : b.fromTrades === undefined ? a.fromTrades : mergeCandles(a.fromTrades, b.fromTrades);
  const withKline = b.fromKline === undefined ? a : addKline(a, b.fromKline);
  return { fromTrades: trades, fromKline: withKline.fromKline };
};
