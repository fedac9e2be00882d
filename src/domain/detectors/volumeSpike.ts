/**
 * Volume spike: a symbol's volume over all its exchanges in the current window (aligned, default 20 s) against a robust
 * baseline of the last windows — median + k·1.4826·MAD, and at least `minRatio` × the median.
 * Windows without trades count as zero volume. The episode ends with the first completed window
 * under the threshold.
 */
import { NO_SIGNALS, tradeEvidence, type AlertSignal, type Detector, type DetectorTrade } from './detector.js';
import { createEpisodes } from './episodes.js';
import type { ParamValues } from './params.js';
import { mad, MAD_SCALE, median, RecentValues } from './recentStats.js';
import { readFinite, readMap, readNumber, readObject, readTrade, saveMap, saveTrade } from './savedState.js';

export const volumeSpikeParams = {
  windowMs: { default: 20_000, min: 1_000, max: 3_600_000, integer: true, help: 'window the volume is summed over, ms' },
  k: { default: 8, min: 1, max: 100, help: 'scaled MADs above the median' },
  minRatio: { default: 3, min: 1, max: 1_000, help: 'window volume must also be this many times the median' },
  historyWindows: { default: 30, min: 3, max: 1_000, integer: true, help: 'completed windows in the baseline' },
  minHistoryWindows: { default: 10, min: 2, max: 1_000, integer: true, atMost: 'historyWindows', help: 'windows needed before the detector speaks' },
} as const;


/** Empty windows are filled in at most this many at a time (a long gap is a stale feed, not volume). */
const MAX_GAP_WINDOWS = 1_000;

interface SeriesState {
  readonly history: RecentValues;
  bucket: number;
  volume: number;
  first: DetectorTrade;
  threshold: number;
  baseline: { median: number; mad: number };
}

export const createVolumeSpikeDetector = (p: ParamValues<typeof volumeSpikeParams>): Detector => {
  let series = new Map<string, SeriesState>();
  const episodes = createEpisodes();

  const thresholdOf = (s: SeriesState): void => {
    const h = s.history.snapshot();
    const m = median(h);
    const d = mad(h);
    s.baseline = { median: m, mad: d };
    s.threshold = Math.max(m + p.k * MAD_SCALE * d, p.minRatio * m);
  };

  return {
    onTrade(t) {
      const key = t.symbol;
      const bucket = Math.floor(t.eventTime / p.windowMs);
      let s = series.get(key);
      const out: AlertSignal[] = [];
      if (s === undefined) {
        s = { history: new RecentValues(p.historyWindows), bucket, volume: 0, first: t, threshold: Number.POSITIVE_INFINITY, baseline: { median: 0, mad: 0 } };
        series.set(key, s);
      } else if (bucket !== s.bucket) {
        const closed = s.volume;
        const closedEnd = (s.bucket + 1) * p.windowMs;
        if (episodes.isOpen(key) && closed < s.threshold) {
          out.push(
            ...episodes.close(key, t.symbol, closedEnd, `${t.symbol}: window volume back under the threshold`, {
              exchange: t.exchange,
              window: { from: s.bucket * p.windowMs, to: closedEnd },
              volume: closed,
              threshold: s.threshold,
              trades: [tradeEvidence(s.first)],
            }, t.eventId),
          );
        }
        s.history.push(closed);
        for (let gap = Math.min(bucket - s.bucket - 1, MAX_GAP_WINDOWS); gap > 0; gap--) s.history.push(0);
        s.bucket = bucket;
        s.volume = 0;
        s.first = t;
        if (s.history.size >= p.minHistoryWindows) thresholdOf(s);
      }
      s.volume += t.quantity;
      if (s.volume > s.threshold && s.baseline.median > 0 && !episodes.isOpen(key)) {
        const from = bucket * p.windowMs;
        out.push(
          ...episodes.open(key, t.symbol, from, t.eventTime, `${t.symbol}: volume ${(s.volume / s.baseline.median).toFixed(1)}× the median window`, {
            window: { from, to: from + p.windowMs, ms: p.windowMs },
            volume: s.volume,
            baselineMedian: s.baseline.median,
            baselineMad: s.baseline.mad,
            threshold: s.threshold,
            params: p,
            trades: [tradeEvidence(s.first), tradeEvidence(t)],
          }, t.eventId),
        );
      }
      return out;
    },
    onWatermark: () => NO_SIGNALS,
    save: () => ({
      series: saveMap(series, (s) => ({
        history: s.history.snapshot(),
        bucket: s.bucket,
        volume: s.volume,
        first: saveTrade(s.first),
        threshold: s.threshold,
        baseline: s.baseline,
      })),
      episodes: episodes.save(),
    }),
    load(state, path) {
      const o = readObject(state, path);
      series = readMap(o['series'], `${path}.series`, (u, sp) => {
        const s = readObject(u, sp);
        const history = new RecentValues(p.historyWindows);
        history.load(s['history'], `${sp}.history`);
        const baseline = readObject(s['baseline'], `${sp}.baseline`);
        return {
          history,
          bucket: readFinite(s['bucket'], `${sp}.bucket`),
          volume: readFinite(s['volume'], `${sp}.volume`),
          first: readTrade(s['first'], `${sp}.first`),
          threshold: readNumber(s['threshold'], `${sp}.threshold`),
          baseline: { median: readNumber(baseline['median'], `${sp}.baseline.median`), mad: readNumber(baseline['mad'], `${sp}.baseline.mad`) },
        };
      });
      episodes.load(o['episodes'], `${path}.episodes`);
    },
  };
};
