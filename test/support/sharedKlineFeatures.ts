/**
 * Real feature rows from ../shared/data: Binance futures 1m klines of February 2023 rolled up into
 * 1h bars (close of the hour's last minute; volume, taker buy volume and trade count summed) and
 * run through the feature store's own computation, BTC as the market symbol.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { computeFeatures, type FeatureBar } from '../../src/domain/features/computeFeatures.js';
import type { FeatureRow } from '../../src/domain/features/featureRow.js';
import { INTERVAL_MS } from '../../src/domain/time.js';
import { requireSharedData } from './sharedData.js';

export const SHARED_KLINES = 'binance-futures-klines-1m-2023-02';

export const sharedKlines = requireSharedData(SHARED_KLINES);

/** The hourly bars of `coin` (`ETHUSDT`, `BTCUSDT`) from its daily 1m files. */
export const hourlyBars = (coin: string): FeatureBar[] => {
  const folder = sharedKlines.path(SHARED_KLINES);
  const files = readdirSync(folder).filter((f) => f.startsWith(`${coin}-1m-`)).sort();
  if (files.length === 0) throw new Error(`no ${coin} 1m klines in ${folder}`);
  const hours = new Map<number, { close: number; volume: number; takerBuyVolume: number; trades: number }>();
  for (const file of files) {
    for (const line of readFileSync(`${folder}/${file}`, 'utf8').split('\n').slice(1)) {
      if (line.trim() === '') continue;
      const [openTime, , , , close, volume, , , count, takerBuy] = line.split(',');
      const hour = Math.floor(Number(openTime) / INTERVAL_MS['1h']) * INTERVAL_MS['1h'];
      const bar = hours.get(hour) ?? { close: 0, volume: 0, takerBuyVolume: 0, trades: 0 };
      bar.close = Number(close);
      bar.volume += Number(volume);
      bar.takerBuyVolume += Number(takerBuy);
      bar.trades += Number(count);
      hours.set(hour, bar);
    }
  }
  return [...hours.entries()]
    .sort(([a], [b]) => a - b)
    .map(([time, b]) => ({ time, close: b.close, volume: b.volume, takerBuyVolume: b.takerBuyVolume, takerSellVolume: b.volume - b.takerBuyVolume, trades: b.trades }));
};

/** `coin`'s 1h feature rows, BTC as the market. */
export const sharedFeatureRows = (coin: string): FeatureRow[] =>
  computeFeatures({ interval: '1h', bars: hourlyBars(coin), market: hourlyBars('BTCUSDT'), marketCaps: [], sentiment: [] });
