/**
 * Cross-exchange divergence: the latest prices of one symbol on its exchanges (those that traded
 * within `maxAgeMs`) apart by more than `thresholdBps` of the lowest, continuously for at least
 * `minDurationMs` of event time. The episode ends when the spread falls under
 * `resolveFraction` × the threshold (hysteresis, so a spread hovering at the threshold is one episode).
 */
import { NO_SIGNALS, tradeEvidence, type AlertSignal, type Detector, type DetectorTrade } from './detector.js';
import { createEpisodes } from './episodes.js';
import type { ParamValues } from './params.js';
import { readFinite, readMap, readObject, readTrade, saveMap, saveTrade } from './savedState.js';

export const divergenceParams = {
  thresholdBps: { default: 50, min: 1, max: 10_000, help: 'spread between exchanges, basis points of the lower price' },
  minDurationMs: { default: 10_000, min: 0, max: 3_600_000, integer: true, help: 'how long the spread must hold, ms' },
  maxAgeMs: { default: 60_000, min: 1_000, max: 3_600_000, integer: true, help: 'an exchange whose last trade is older is left out' },
  resolveFraction: { default: 0.8, min: 0, max: 1, help: 'the episode ends under this fraction of the threshold' },
} as const;

interface SymbolState {
  readonly latest: Map<string, DetectorTrade>;
  /** When the spread went over the threshold, while it stays over. */
  since: number | undefined;
}

export const createDivergenceDetector = (p: ParamValues<typeof divergenceParams>): Detector => {
  let symbols = new Map<string, SymbolState>();
  const episodes = createEpisodes();

  return {
    onTrade(t) {
      let s = symbols.get(t.symbol);
      if (s === undefined) symbols.set(t.symbol, (s = { latest: new Map(), since: undefined }));
      s.latest.set(t.exchange, t);
      let low: DetectorTrade | undefined;
      let high: DetectorTrade | undefined;
      for (const q of s.latest.values()) {
        if (q.eventTime < t.eventTime - p.maxAgeMs) continue;
        if (low === undefined || q.price < low.price) low = q;
        if (high === undefined || q.price > high.price) high = q;
      }
      const spreadBps = low === undefined || high === undefined || low === high ? 0 : ((high.price - low.price) / low.price) * 10_000;
      const key = t.symbol;
      const out: AlertSignal[] = [];
      if (spreadBps > p.thresholdBps) {
        s.since ??= t.eventTime;
        if (t.eventTime - s.since >= p.minDurationMs && !episodes.isOpen(key)) {
          out.push(
            ...episodes.open(key, t.symbol, s.since, t.eventTime, `${t.symbol}: ${high!.exchange} ${spreadBps.toFixed(0)} bp above ${low!.exchange} for ${t.eventTime - s.since} ms`, {
              window: { from: s.since, to: t.eventTime },
              spreadBps,
              high: high!.exchange,
              low: low!.exchange,
              thresholdBps: p.thresholdBps,
              minDurationMs: p.minDurationMs,
              trades: [tradeEvidence(low!), tradeEvidence(high!)],
            }, t.eventId),
          );
        }
      } else {
        s.since = undefined;
        if (episodes.isOpen(key) && spreadBps < p.thresholdBps * p.resolveFraction) {
          out.push(
            ...episodes.close(key, t.symbol, t.eventTime, `${t.symbol}: exchanges back within ${(p.thresholdBps * p.resolveFraction).toFixed(0)} bp`, {
              spreadBps,
              trades: [tradeEvidence(t)],
            }, t.eventId),
          );
        }
      }
      return out;
    },
    onWatermark: () => NO_SIGNALS,
    save: () => ({
      symbols: saveMap(symbols, (s) => ({ latest: saveMap(s.latest, saveTrade), since: s.since ?? null })),
      episodes: episodes.save(),
    }),
    load(state, path) {
      const o = readObject(state, path);
      symbols = readMap(o['symbols'], `${path}.symbols`, (u, p) => {
        const s = readObject(u, p);
        return { latest: readMap(s['latest'], `${p}.latest`, readTrade), since: s['since'] === null ? undefined : readFinite(s['since'], `${p}.since`) };
      });
      episodes.load(o['episodes'], `${path}.episodes`);
    },
  };
};
