/**
 * Feature rows for the model tests: a seeded 1h (or 1d) price path whose returns carry a little
 * structure a model can find (an AR(1) on the 1-bar return, and order flow that leads the next
 * return), run through the feature store's own computation.
 */
import { computeFeatures, type FeatureBar } from '../../src/domain/features/computeFeatures.js';
import type { FeatureRow } from '../../src/domain/features/featureRow.js';
import { createRng } from '../../src/domain/prng.js';
import { INTERVAL_MS } from '../../src/domain/time.js';

export const MODEL_ROWS_START = Date.UTC(2024, 0, 1);

export const syntheticBars = (count: number, seed: number, interval: '1h' | '1d' = '1h'): FeatureBar[] => {
  const rng = createRng(seed);
  const bars: FeatureBar[] = [];
  let close = 100;
  let previous = 0;
  let flow = 0;
  for (let i = 0; i < count; i++) {
    const r = -0.25 * previous + 0.004 * flow + 0.004 * rng.normal();
    close *= Math.exp(r);
    previous = r;
    flow = Math.max(-0.95, Math.min(0.95, 0.5 * rng.normal()));
    const volume = 100 * Math.exp(0.3 * rng.normal());
    bars.push({ time: MODEL_ROWS_START + i * INTERVAL_MS[interval], close, volume, takerBuyVolume: (volume * (1 + flow)) / 2, takerSellVolume: (volume * (1 - flow)) / 2, trades: 50 });
  }
  return bars;
};

export const syntheticRows = (count: number, seed: number, interval: '1h' | '1d' = '1h'): FeatureRow[] => {
  const bars = syntheticBars(count, seed, interval);
  return computeFeatures({ interval, bars, market: bars, marketCaps: [], sentiment: [] });
};
