/**
 * The speed-layer fold of one series (one symbol on one exchange): minute slots by event time,
 * a watermark, late-event counting and the latest trade.
 *
 * For throughput the state is mutable and owned by its projection; the fold does no I/O and
 * depends only on the events given, so it stays a pure function of its inputs.
 *
 * Watermark = max event time seen − allowed lateness. A minute is closed once its end is at or
 * before the watermark. An event for a closed minute is late: counted here and left to the batch
 * layer (it is in the ledger), never folded into a closed live candle.
 */
import type { CandleData, TradeData } from '../events/market.js';
import { INTERVAL_MS, bucketStart } from '../time.js';
import { addKline, addTrade, candleOfKline, EMPTY_SLOT, type MinuteSlot } from './minuteSlot.js';

const MINUTE = INTERVAL_MS['1m'];

export interface SpeedPolicy {
  /** How far behind the newest event time an event may arrive and still be folded live. */
  readonly allowedLatenessMs: number;
  /** How long closed minutes are kept behind the watermark. */
  readonly retentionMs: number;
}

export const DEFAULT_SPEED_POLICY: SpeedPolicy = { allowedLatenessMs: 5_000, retentionMs: 3_600_000 };

export interface LatestTrade {
  readonly exchange: string;
  readonly symbol: string;
  readonly tradeId: string;
  readonly price: string;
  readonly quantity: string;
  readonly side: 'buy' | 'sell';
  readonly eventTime: number;
  readonly position: number;
}

export interface SeriesState {
  readonly exchange: string;
  readonly symbol: string;
  maxEventTime: number;
  lateEvents: number;
  latest: LatestTrade | undefined;
  readonly minutes: Map<number, MinuteSlot>;
  /** Event time from which this store's minutes are complete (earlier ones were evicted or never folded). */
  coveredFrom: number;
  /** Minutes changed since the projection last flushed. */
  readonly dirty: Set<number>;
}

export const seriesKeyOf = (exchange: string, symbol: string): string => `${exchange}|${symbol}`;

export const newSeries = (exchange: string, symbol: string, coveredFrom = Number.NEGATIVE_INFINITY): SeriesState => ({
  exchange,
  symbol,
  maxEventTime: Number.NEGATIVE_INFINITY,
  lateEvents: 0,
  latest: undefined,
  minutes: new Map(),
  coveredFrom,
  dirty: new Set(),
});

export const watermarkOf = (s: SeriesState, policy: SpeedPolicy): number => s.maxEventTime - policy.allowedLatenessMs;

export const isMinuteClosed = (s: SeriesState, minute: number, policy: SpeedPolicy): boolean =>
  minute + MINUTE <= watermarkOf(s, policy);

export type FoldOutcome = 'applied' | 'late';

const laterThan = (t: TradeData, l: LatestTrade): boolean =>
  t.eventTime > l.eventTime || (t.eventTime === l.eventTime && (t.tradeId.length - l.tradeId.length || (t.tradeId > l.tradeId ? 1 : -1)) > 0);

export const foldTrade = (s: SeriesState, trade: TradeData, position: number, policy: SpeedPolicy): FoldOutcome => {
  const minute = bucketStart(trade.eventTime, '1m');
  if (isMinuteClosed(s, minute, policy) || minute < s.coveredFrom) {
    s.lateEvents++;
    return 'late';
  }
  s.minutes.set(minute, addTrade(s.minutes.get(minute) ?? EMPTY_SLOT, {
    eventTime: trade.eventTime,
    key: trade.tradeId,
    price: trade.price,
    quantity: trade.quantity,
    side: trade.side,
  }));
  s.dirty.add(minute);
  if (trade.eventTime > s.maxEventTime) s.maxEventTime = trade.eventTime;
  if (s.latest === undefined || laterThan(trade, s.latest)) {
    s.latest = { ...trade, position };
  }
  return 'applied';
};

export const foldKline = (s: SeriesState, kline: CandleData, policy: SpeedPolicy): FoldOutcome | 'ignored' => {
  const candle = candleOfKline(kline);
  if (candle === undefined) return 'ignored';
  if (isMinuteClosed(s, candle.bucketStart, policy) || candle.bucketStart < s.coveredFrom) {
    s.lateEvents++;
    return 'late';
  }
  s.minutes.set(candle.bucketStart, addKline(s.minutes.get(candle.bucketStart) ?? EMPTY_SLOT, candle));
  s.dirty.add(candle.bucketStart);
  if (candle.closeTime > s.maxEventTime) s.maxEventTime = candle.closeTime;
  return 'applied';
};

/** Drops minutes older than the retention behind the watermark; returns the evicted minute starts. */
export const evictExpired = (s: SeriesState, policy: SpeedPolicy): number[] => {
  const cutoff = bucketStart(watermarkOf(s, policy) - policy.retentionMs, '1m');
  if (!(cutoff > s.coveredFrom)) return [];
  const evicted: number[] = [];
  for (const minute of s.minutes.keys()) {
    if (minute < cutoff) evicted.push(minute);
  }
  for (const m of evicted) {
    s.minutes.delete(m);
    s.dirty.delete(m);
  }
  s.coveredFrom = cutoff;
  return evicted;
};
