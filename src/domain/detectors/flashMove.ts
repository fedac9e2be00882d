/**
 * Flash crash / spike: the log return over a sliding window (default 60 s) beyond k standard
 * deviations of recent volatility — the returns of the last completed windows — and beyond a
 * minimum absolute move. The episode ends once the move has stayed under half its threshold for
 * a whole window, so the rebound after a crash belongs to the same episode.
 */
import { seriesKey, tradeEvidence, type AlertSignal, type Detector, type DetectorTrade } from './detector.js';
import { createEpisodes } from './episodes.js';
import type { ParamValues } from './params.js';
import { RecentValues, stdDev } from './recentStats.js';

export const flashMoveParams = {
  windowMs: { default: 60_000, min: 1_000, max: 3_600_000, integer: true, help: 'sliding window of the return, ms' },
  k: { default: 6, min: 1, max: 100, help: 'standard deviations of recent window returns' },
  minMoveBps: { default: 150, min: 1, max: 10_000, help: 'smallest absolute move that counts, basis points' },
  historyWindows: { default: 30, min: 3, max: 1_000, integer: true, help: 'completed windows the volatility is measured over' },
  minHistoryWindows: { default: 5, min: 2, max: 1_000, integer: true, help: 'windows needed before the detector speaks' },
} as const;

interface SeriesState {
  /** Trades inside the window, oldest first. */
  readonly window: DetectorTrade[];
  readonly returns: RecentValues;
  bucket: number;
  bucketClose: number;
  prevBucketClose: number | undefined;
  /** Last time |return| was at or above half the threshold (the episode is still going). */
  lastActive: number;
}

export const createFlashMoveDetector = (p: ParamValues<typeof flashMoveParams>): Detector => {
  const series = new Map<string, SeriesState>();
  const episodes = createEpisodes();
  const minMove = p.minMoveBps / 10_000;

  return {
    onTrade(t) {
      const key = seriesKey(t.exchange, t.symbol);
      const bucket = Math.floor(t.eventTime / p.windowMs);
      let s = series.get(key);
      if (s === undefined) {
        s = { window: [], returns: new RecentValues(p.historyWindows), bucket, bucketClose: t.price, prevBucketClose: undefined, lastActive: Number.NEGATIVE_INFINITY };
        series.set(key, s);
      }
      if (bucket !== s.bucket) {
        if (s.prevBucketClose !== undefined) s.returns.push(Math.log(s.bucketClose / s.prevBucketClose));
        s.prevBucketClose = s.bucketClose;
        s.bucket = bucket;
      }
      s.bucketClose = t.price;
      s.window.push(t);
      while (s.window[0]!.eventTime <= t.eventTime - p.windowMs) s.window.shift();

      if (s.returns.size < p.minHistoryWindows) return [];
      const first = s.window[0]!;
      const ret = Math.log(t.price / first.price);
      const sigma = stdDev(s.returns.snapshot());
      const threshold = Math.max(p.k * sigma, minMove);
      const out: AlertSignal[] = [];
      if (Math.abs(ret) >= threshold / 2) s.lastActive = t.eventTime;
      if (Math.abs(ret) >= threshold && !episodes.isOpen(key)) {
        const direction = ret < 0 ? 'crash' : 'spike';
        out.push(
          ...episodes.open(key, t.symbol, first.eventTime, t.eventTime, `${t.symbol} on ${t.exchange}: ${(ret * 10_000).toFixed(0)} bp ${direction} in ${t.eventTime - first.eventTime} ms`, {
            exchange: t.exchange,
            direction,
            window: { from: first.eventTime, to: t.eventTime, ms: p.windowMs },
            returnBps: ret * 10_000,
            sigmaBps: sigma * 10_000,
            thresholdBps: threshold * 10_000,
            params: p,
            trades: [tradeEvidence(first), tradeEvidence(t)],
          }, t.eventId),
        );
      } else if (episodes.isOpen(key) && t.eventTime - s.lastActive >= p.windowMs) {
        out.push(
          ...episodes.close(key, t.symbol, t.eventTime, `${t.symbol} on ${t.exchange}: move back under ${(threshold * 5_000).toFixed(0)} bp for a whole window`, {
            exchange: t.exchange,
            returnBps: ret * 10_000,
            thresholdBps: threshold * 10_000,
            trades: [tradeEvidence(t)],
          }, t.eventId),
        );
      }
      return out;
    },
    onWatermark: () => [],
  };
};
