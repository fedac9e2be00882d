/**
 * Flash crash / spike: the log return over a sliding window (default 60 s) beyond k standard
 * deviations of recent volatility — the returns of the last completed windows, σ estimated
 * robustly as 1.4826 × their MAD so that one earlier crash does not blind the detector for the
 * next half hour — and beyond a minimum absolute move. The episode ends once the move has stayed under half its threshold for
 * a whole window, so the rebound after a crash belongs to the same episode. Returns are measured
 * per exchange (prices of two venues never mix in one return) but the episode is the symbol's:
 * a crash seen on every exchange is one alert.
 */
import { NO_SIGNALS, seriesKey, tradeEvidence, type Detector, type DetectorTrade } from './detector.js';
import { createEpisodes } from './episodes.js';
import type { ParamValues } from './params.js';
import { mad, MAD_SCALE, RecentValues } from './recentStats.js';
import { readArray, readFinite, readMap, readNumber, readObject, readTrade, saveMap, saveTrade } from './savedState.js';

export const flashMoveParams = {
  windowMs: { default: 60_000, min: 1_000, max: 3_600_000, integer: true, help: 'sliding window of the return, ms' },
  k: { default: 6, min: 1, max: 100, help: 'standard deviations of recent window returns' },
  minMoveBps: { default: 150, min: 1, max: 10_000, help: 'smallest absolute move that counts, basis points' },
  historyWindows: { default: 30, min: 3, max: 1_000, integer: true, help: 'completed windows the volatility is measured over' },
  minHistoryWindows: { default: 5, min: 2, max: 1_000, integer: true, atMost: 'historyWindows', help: 'windows needed before volatility is trusted' },
  warmupFactor: { default: 3, min: 1, max: 100, help: 'until then, only moves of this many times minMoveBps count' },
} as const;

interface SeriesState {
  /** Trades inside the window are window[start..], oldest first (dropped from the front in bulk). */
  window: DetectorTrade[];
  start: number;
  readonly returns: RecentValues;
  bucket: number;
  bucketClose: number;
  prevBucketClose: number | undefined;
  /** Robust σ of the completed windows' returns; recomputed when a window completes. */
  sigma: number;
}

export const createFlashMoveDetector = (p: ParamValues<typeof flashMoveParams>): Detector => {
  let series = new Map<string, SeriesState>();
  const episodes = createEpisodes();
  /** Per symbol: last time a series' |return| was at or above half its threshold (the episode is still going). */
  let lastActive = new Map<string, number>();
  const minMove = p.minMoveBps / 10_000;

  return {
    onTrade(t) {
      const skey = seriesKey(t.exchange, t.symbol);
      const key = t.symbol;
      const bucket = Math.floor(t.eventTime / p.windowMs);
      let s = series.get(skey);
      if (s === undefined) {
        s = { window: [], start: 0, returns: new RecentValues(p.historyWindows), bucket, bucketClose: t.price, prevBucketClose: undefined, sigma: Number.NaN };
        series.set(skey, s);
      }
      if (bucket !== s.bucket) {
        if (s.prevBucketClose !== undefined) {
          s.returns.push(Math.log(s.bucketClose / s.prevBucketClose));
          s.sigma = MAD_SCALE * mad(s.returns.snapshot());
        }
        s.prevBucketClose = s.bucketClose;
        s.bucket = bucket;
      }
      s.bucketClose = t.price;
      s.window.push(t);
      while (s.window[s.start]!.eventTime <= t.eventTime - p.windowMs) s.start++;
      if (s.start > 1_024 && s.start * 2 > s.window.length) {
        s.window = s.window.slice(s.start);
        s.start = 0;
      }

      const first = s.window[s.start]!;
      const ret = Math.log(t.price / first.price);
      // Without enough history the volatility is unknown: a new symbol only alerts on large moves.
      const warm = s.returns.size >= p.minHistoryWindows;
      const sigma = warm ? s.sigma : Number.NaN;
      const threshold = warm ? Math.max(p.k * sigma, minMove) : minMove * p.warmupFactor;
      if (Math.abs(ret) >= threshold / 2) lastActive.set(key, t.eventTime);
      if (Math.abs(ret) >= threshold && !episodes.isOpen(key)) {
        const direction = ret < 0 ? 'crash' : 'spike';
        return episodes.open(key, t.symbol, first.eventTime, t.eventTime, `${t.symbol} on ${t.exchange}: ${(ret * 10_000).toFixed(0)} bp ${direction} in ${t.eventTime - first.eventTime} ms`, {
          exchange: t.exchange,
          direction,
          window: { from: first.eventTime, to: t.eventTime, ms: p.windowMs },
          returnBps: ret * 10_000,
          sigmaBps: warm ? sigma * 10_000 : null,
          thresholdBps: threshold * 10_000,
          params: p,
          trades: [tradeEvidence(first), tradeEvidence(t)],
        }, t.eventId);
      }
      if (episodes.isOpen(key) && t.eventTime - (lastActive.get(key) ?? Number.NEGATIVE_INFINITY) >= p.windowMs) {
        return episodes.close(key, t.symbol, t.eventTime, `${t.symbol} on ${t.exchange}: move back under ${(threshold * 5_000).toFixed(0)} bp for a whole window`, {
          exchange: t.exchange,
          returnBps: ret * 10_000,
          thresholdBps: threshold * 10_000,
          trades: [tradeEvidence(t)],
        }, t.eventId);
      }
      return NO_SIGNALS;
    },
    onWatermark: () => NO_SIGNALS,
    save: () => ({
      // Only the trades still inside the window: the ones before `start` are never read again.
      series: saveMap(series, (s) => ({
        window: s.window.slice(s.start).map(saveTrade),
        returns: s.returns.snapshot(),
        bucket: s.bucket,
        bucketClose: s.bucketClose,
        prevBucketClose: s.prevBucketClose ?? null,
        sigma: s.sigma,
      })),
      lastActive: saveMap(lastActive, (t) => t),
      episodes: episodes.save(),
    }),
    load(state, path) {
      const o = readObject(state, path);
      series = readMap(o['series'], `${path}.series`, (u, sp) => {
        const s = readObject(u, sp);
        const returns = new RecentValues(p.historyWindows);
        returns.load(s['returns'], `${sp}.returns`);
        return {
          window: readArray(s['window'], `${sp}.window`).map((t, i) => readTrade(t, `${sp}.window[${i}]`)),
          start: 0,
          returns,
          bucket: readFinite(s['bucket'], `${sp}.bucket`),
          bucketClose: readFinite(s['bucketClose'], `${sp}.bucketClose`),
          prevBucketClose: s['prevBucketClose'] === null ? undefined : readFinite(s['prevBucketClose'], `${sp}.prevBucketClose`),
          sigma: readNumber(s['sigma'], `${sp}.sigma`),
        };
      });
      lastActive = readMap(o['lastActive'], `${path}.lastActive`, readFinite);
      episodes.load(o['episodes'], `${path}.episodes`);
    },
  };
};
