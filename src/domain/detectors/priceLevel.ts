/**
 * Price level: a series crosses the rule's level (up, down or either way). The episode lasts
 * while the price stays on the far side and ends once it is back beyond a small band
 * (`bandBps`), so a price dithering on the level is one episode, not a storm.
 */
import { NO_SIGNALS, seriesKey, tradeEvidence, type AlertSignal, type Detector, type DetectorTrade } from './detector.js';
import { createEpisodes } from './episodes.js';
import type { ParamValues } from './params.js';
import { readMap, readObject, readTrade, saveMap, saveTrade, SavedStateError } from './savedState.js';

export const priceLevelParams = {
  // Prices quoted in satoshi-sized units go down to about 1e-10; none reaches a trillion.
  level: { min: 1e-12, max: 1e12, formerly: { min: Number.MIN_VALUE, max: Number.MAX_VALUE }, help: 'the price level' },
  direction: { default: 0, min: -1, max: 1, integer: true, help: '1 = crossing up, -1 = crossing down, 0 = either' },
  bandBps: { default: 10, min: 0, max: 10_000, help: 'the episode ends this far back on the near side, basis points' },
} as const;

export const createPriceLevelDetector = (p: ParamValues<typeof priceLevelParams>): Detector => {
  let previous = new Map<string, DetectorTrade>();
  /** The side the open episode crossed to, per series. */
  let crossedTo = new Map<string, 1 | -1>();
  const episodes = createEpisodes();
  const band = (p.level * p.bandBps) / 10_000;

  return {
    onTrade(t) {
      const key = seriesKey(t.exchange, t.symbol);
      const prev = previous.get(key);
      previous.set(key, t);
      if (prev === undefined) return NO_SIGNALS;
      const side = crossedTo.get(key);
      const up = prev.price < p.level && t.price >= p.level;
      const down = prev.price > p.level && t.price <= p.level;
      const wanted = (up && p.direction >= 0) || (down && p.direction <= 0);
      if (side === undefined && !wanted) return NO_SIGNALS;
      const out: AlertSignal[] = [];
      if (side !== undefined && (side === 1 ? t.price < p.level - band : t.price > p.level + band)) {
        crossedTo.delete(key);
        out.push(...episodes.close(key, t.symbol, t.eventTime, `${t.symbol} on ${t.exchange}: back ${side === 1 ? 'below' : 'above'} ${p.level}`, {
          exchange: t.exchange,
          level: p.level,
          trades: [tradeEvidence(t)],
        }, t.eventId));
      }
      if (wanted && !episodes.isOpen(key)) {
        crossedTo.set(key, up ? 1 : -1);
        out.push(...episodes.open(key, t.symbol, t.eventTime, t.eventTime, `${t.symbol} on ${t.exchange}: crossed ${up ? 'above' : 'below'} ${p.level} at ${t.price}`, {
          exchange: t.exchange,
          level: p.level,
          direction: up ? 'up' : 'down',
          bandBps: p.bandBps,
          trades: [tradeEvidence(prev), tradeEvidence(t)],
        }, t.eventId));
      }
      return out;
    },
    onWatermark: () => NO_SIGNALS,
    save: () => ({ previous: saveMap(previous, saveTrade), crossedTo: saveMap(crossedTo, (side) => side), episodes: episodes.save() }),
    load(state, path) {
      const o = readObject(state, path);
      previous = readMap(o['previous'], `${path}.previous`, readTrade);
      crossedTo = readMap(o['crossedTo'], `${path}.crossedTo`, (u, p) => {
        if (u !== 1 && u !== -1) throw new SavedStateError(p, '1 or -1', u);
        return u;
      });
      episodes.load(o['episodes'], `${path}.episodes`);
    },
  };
};
