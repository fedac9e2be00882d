/**
 * A candle as a commutative monoid over trades.
 *
 * Open and close are chosen by (event time, trade id), never by arrival order, and volumes are
 * exact fixed-point sums, so merging the same trades in any order or grouping gives the same
 * candle. That is what lets the live fold, the batch recompute and a replay agree to the bit.
 * Taker buy and sell volumes (the order flow the feature store reads) are exact sums the same way.
 */
import { QUOTE_SCALE, fixedToNumber, formatFixed, mulFixed, parseFixed } from '../decimal.js';
import { INTERVAL_MS, bucketStart, type Interval } from '../time.js';

export interface Candle {
  readonly bucketStart: number;
  /** Event time and tie-break key of the trade that set `open`. */
  readonly openTime: number;
  readonly openKey: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly closeTime: number;
  readonly closeKey: string;
  readonly close: number;
  /** Base volume, fixed point × 10^18. */
  readonly volume: bigint;
  /** Quote volume (Σ price × quantity), fixed point × 10^36. */
  readonly quoteVolume: bigint;
  /** Base volume of the trades whose taker bought / sold, fixed point × 10^18 (see `slotCandle` for klines). */
  readonly takerBuyVolume: bigint;
  readonly takerSellVolume: bigint;
  readonly trades: number;
}

/** A total order on trade ids: numeric ids compare as numbers, anything else as text. */
export const compareKeys = (a: string, b: string): number => {
  if (a === b) return 0;
  if (a.length !== b.length && /^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length;
  return a < b ? -1 : 1;
};

const earlier = (t1: number, k1: string, t2: number, k2: string): boolean => t1 < t2 || (t1 === t2 && compareKeys(k1, k2) < 0);

export interface TradePoint {
  readonly eventTime: number;
  readonly key: string;
  readonly price: string;
  readonly quantity: string;
  /** The taker's side. */
  readonly side: 'buy' | 'sell';
}

/** The one-trade candle. Throws only on malformed decimals, which validation has already excluded. */
export const candleOfTrade = (trade: TradePoint, interval: Interval): Candle => {
  const price = Number(trade.price);
  const qty = parseFixed(trade.quantity);
  const px = parseFixed(trade.price);
  if (qty === undefined || px === undefined) throw new Error(`malformed decimal in trade ${trade.key}`);
  return {
    bucketStart: bucketStart(trade.eventTime, interval),
    openTime: trade.eventTime,
    openKey: trade.key,
    open: price,
    high: price,
    low: price,
    closeTime: trade.eventTime,
    closeKey: trade.key,
    close: price,
    volume: qty,
    quoteVolume: mulFixed(px, qty),
    takerBuyVolume: trade.side === 'buy' ? qty : 0n,
    takerSellVolume: trade.side === 'sell' ? qty : 0n,
    trades: 1,
  };
};

/** Merges two candles of the same bucket (or a candle into the larger bucket that holds it). */
export const mergeCandles = (a: Candle, b: Candle, intoBucket: number = a.bucketStart): Candle => {
  const aOpens = earlier(a.openTime, a.openKey, b.openTime, b.openKey);
  const aCloses = !earlier(a.closeTime, a.closeKey, b.closeTime, b.closeKey);
  return {
    bucketStart: intoBucket,
    openTime: aOpens ? a.openTime : b.openTime,
    openKey: aOpens ? a.openKey : b.openKey,
    open: aOpens ? a.open : b.open,
    high: a.high >= b.high ? a.high : b.high,
    low: a.low <= b.low ? a.low : b.low,
    closeTime: aCloses ? a.closeTime : b.closeTime,
    closeKey: aCloses ? a.closeKey : b.closeKey,
    close: aCloses ? a.close : b.close,
    volume: a.volume + b.volume,
    quoteVolume: a.quoteVolume + b.quoteVolume,
    takerBuyVolume: a.takerBuyVolume + b.takerBuyVolume,
    takerSellVolume: a.takerSellVolume + b.takerSellVolume,
    trades: a.trades + b.trades,
  };
};

/**
 * mergeCandles(c, candleOfTrade(trade)) without the one-trade candle in between: every live,
 * batch and replay fold adds each trade to its minute this way, so a trade costs one candle, not two.
 */
export const addTradeToCandle = (c: Candle, trade: TradePoint): Candle => {
  const price = Number(trade.price);
  const qty = parseFixed(trade.quantity);
  const px = parseFixed(trade.price);
  if (qty === undefined || px === undefined) throw new Error(`malformed decimal in trade ${trade.key}`);
  const cOpens = earlier(c.openTime, c.openKey, trade.eventTime, trade.key);
  const cCloses = !earlier(c.closeTime, c.closeKey, trade.eventTime, trade.key);
  return {
    bucketStart: c.bucketStart,
    openTime: cOpens ? c.openTime : trade.eventTime,
    openKey: cOpens ? c.openKey : trade.key,
    open: cOpens ? c.open : price,
    high: c.high >= price ? c.high : price,
    low: c.low <= price ? c.low : price,
    closeTime: cCloses ? c.closeTime : trade.eventTime,
    closeKey: cCloses ? c.closeKey : trade.key,
    close: cCloses ? c.close : price,
    volume: c.volume + qty,
    quoteVolume: c.quoteVolume + mulFixed(px, qty),
    takerBuyVolume: trade.side === 'buy' ? c.takerBuyVolume + qty : c.takerBuyVolume,
    takerSellVolume: trade.side === 'sell' ? c.takerSellVolume + qty : c.takerSellVolume,
    trades: c.trades + 1,
  };
};

/**
 * Rolls candles of a finer interval up to `interval`. Input in any order; output sorted by bucket.
 */
export const rollUp = (candles: Iterable<Candle>, interval: Interval): Candle[] => {
  const byBucket = new Map<number, Candle>();
  for (const c of candles) {
    const b = bucketStart(c.bucketStart, interval);
    const prev = byBucket.get(b);
    byBucket.set(b, prev === undefined ? { ...c, bucketStart: b } : mergeCandles(prev, c, b));
  }
  return [...byBucket.values()].sort((x, y) => x.bucketStart - y.bucketStart);
};

export const bucketEnd = (c: Candle, interval: Interval): number => c.bucketStart + INTERVAL_MS[interval];

/** The JSON face of a candle, as the API serves it. */
export interface CandleView {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly quoteVolume: number;
  readonly vwap: number;
  readonly takerBuyVolume: number;
  readonly takerSellVolume: number;
  readonly trades: number;
}

export const candleView = (c: Candle): CandleView => {
  const volume = fixedToNumber(c.volume);
  const quoteVolume = fixedToNumber(c.quoteVolume, QUOTE_SCALE);
  return {
    time: c.bucketStart,
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
    volume,
    quoteVolume,
    vwap: volume > 0 ? quoteVolume / volume : c.close,
    takerBuyVolume: fixedToNumber(c.takerBuyVolume),
    takerSellVolume: fixedToNumber(c.takerSellVolume),
    trades: c.trades,
  };
};

/** A lossless, storable form of a candle (bigints as decimal strings). */
export interface StoredCandle {
  readonly b: number;
  readonly ot: number;
  readonly ok: string;
  readonly o: number;
  readonly h: number;
  readonly l: number;
  readonly ct: number;
  readonly ck: string;
  readonly c: number;
  readonly v: string;
  readonly qv: string;
  /** Taker buy / sell volume; absent in candles stored before they were kept (read as 0: recompute to fill them). */
  readonly tb?: string;
  readonly ts?: string;
  readonly n: number;
}

export const storeCandle = (c: Candle): StoredCandle => ({
  b: c.bucketStart,
  ot: c.openTime,
  ok: c.openKey,
  o: c.open,
  h: c.high,
  l: c.low,
  ct: c.closeTime,
  ck: c.closeKey,
  c: c.close,
  v: c.volume.toString(),
  qv: c.quoteVolume.toString(),
  tb: c.takerBuyVolume.toString(),
  ts: c.takerSellVolume.toString(),
  n: c.trades,
});

export const loadCandle = (s: StoredCandle): Candle => ({
  bucketStart: s.b,
  openTime: s.ot,
  openKey: s.ok,
  open: s.o,
  high: s.h,
  low: s.l,
  closeTime: s.ct,
  closeKey: s.ck,
  close: s.c,
  volume: BigInt(s.v),
  quoteVolume: BigInt(s.qv),
  takerBuyVolume: BigInt(s.tb ?? '0'),
  takerSellVolume: BigInt(s.ts ?? '0'),
  trades: s.n,
});

export const formatVolume = (c: Candle): string => formatFixed(c.volume);
