/**
 * Stale feed: a series (exchange, symbol) with no trade for longer than `multiple` × its usual
 * gap (an exponential average of its inter-trade gaps) and at least `minGapMs`. Time is the
 * watermark, not the wall clock, so a replay raises the same alerts at the same event times.
 * The episode ends with the series' next trade.
 */
import { NO_SIGNALS, seriesKey, tradeEvidence, type AlertSignal, type Detector, type DetectorTrade } from './detector.js';
import { createEpisodes } from './episodes.js';
import type { ParamValues } from './params.js';
import { readCount, readFinite, readMap, readObject, readTrade, saveMap, saveTrade } from './savedState.js';

export const staleFeedParams = {
  multiple: { default: 20, min: 1, max: 10_000, help: 'silence longer than this many usual gaps' },
  minGapMs: { default: 30_000, min: 100, max: 86_400_000, integer: true, help: 'silence shorter than this never counts, ms' },
  minTrades: { default: 50, min: 2, max: 100_000, integer: true, help: 'trades seen before the usual gap is trusted' },
  smoothing: { default: 0.05, min: 0.001, max: 1, help: 'weight of the newest gap in the average' },
} as const;

interface SeriesState {
  last: DetectorTrade;
  gap: number;
  count: number;
}

export const createStaleFeedDetector = (p: ParamValues<typeof staleFeedParams>): Detector => {
  let series = new Map<string, SeriesState>();
  const episodes = createEpisodes();
  const deadlineOf = (s: SeriesState): number => s.last.eventTime + Math.max(p.multiple * s.gap, p.minGapMs);

  return {
    onTrade(t) {
      const key = seriesKey(t.exchange, t.symbol);
      const s = series.get(key);
      if (s === undefined) {
        series.set(key, { last: t, gap: 0, count: 1 });
        return NO_SIGNALS;
      }
      const out = !episodes.isOpen(key) ? NO_SIGNALS : episodes.close(key, t.symbol, t.eventTime, `${t.symbol} on ${t.exchange}: trading again after ${t.eventTime - s.last.eventTime} ms`, {
        exchange: t.exchange,
        silenceMs: t.eventTime - s.last.eventTime,
        trades: [tradeEvidence(s.last), tradeEvidence(t)],
      }, t.eventId);
      const gap = t.eventTime - s.last.eventTime;
      s.gap = s.count === 1 ? gap : s.gap + p.smoothing * (gap - s.gap);
      s.count++;
      s.last = t;
      return out;
    },
    onWatermark(time) {
      const out: AlertSignal[] = [];
      for (const [key, s] of series) {
        if (s.count < p.minTrades || episodes.isOpen(key)) continue;
        const deadline = deadlineOf(s);
        if (time <= deadline) continue;
        out.push(
          ...episodes.open(key, s.last.symbol, deadline, deadline, `${s.last.symbol} on ${s.last.exchange}: no trade for ${deadline - s.last.eventTime} ms (usual gap ${s.gap.toFixed(0)} ms)`, {
            exchange: s.last.exchange,
            window: { from: s.last.eventTime, to: deadline },
            usualGapMs: s.gap,
            multiple: p.multiple,
            minGapMs: p.minGapMs,
            trades: [tradeEvidence(s.last)],
          }, s.last.eventId),
        );
      }
      return out;
    },
    save: () => ({ series: saveMap(series, (s) => ({ last: saveTrade(s.last), gap: s.gap, count: s.count })), episodes: episodes.save() }),
    load(state, path) {
      const o = readObject(state, path);
      series = readMap(o['series'], `${path}.series`, (u, p) => {
        const s = readObject(u, p);
        return { last: readTrade(s['last'], `${p}.last`), gap: readFinite(s['gap'], `${p}.gap`), count: readCount(s['count'], `${p}.count`) };
      });
      episodes.load(o['episodes'], `${path}.episodes`);
    },
  };
};
