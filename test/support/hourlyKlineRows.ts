/**
 * Feature rows of 1h bars rolled up from the shared Binance futures 1-minute klines
 * (`binance-futures-klines-1m-2023-02`, February 2023, every minute present; PROVENANCE.md):
 * close of the hour's last minute, summed volume, taker buy volume (the rest is taker sell) and
 * trade count, through the feature store's computeFeatures with BTCUSDT as the market.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { computeFeatures, type FeatureBar } from '../../src/domain/features/computeFeatures.js';
import type { FeatureRow } from '../../src/domain/features/featureRow.js';
import { INTERVAL_MS } from '../../src/domain/time.js';

export const FUTURES_KLINES = 'binance-futures-klines-1m-2023-02';

const hourlyBars = (dir: string, symbol: string): FeatureBar[] => {
  const hours = new Map<number, { time: number; close: number; last: number; volume: number; takerBuyVolume: number; trades: number }>();
  for (const file of readdirSync(dir).filter((f) => f.startsWith(`${symbol}-1m-`)).sort()) {
    const [header, ...lines] = readFileSync(path.join(dir, file), 'utf8').trim().split(/\r?\n/);
    const col = (name: string) => header!.split(',').indexOf(name);
    const [openTime, close, volume, count, takerBuy] = ['open_time', 'close', 'volume', 'count', 'taker_buy_volume'].map(col) as [number, number, number, number, number];
    for (const line of lines) {
      const f = line.split(',');
      const t = Number(f[openTime]);
      const time = t - (t % INTERVAL_MS['1h']);
      const h = hours.get(time) ?? { time, close: 0, last: -1, volume: 0, takerBuyVolume: 0, trades: 0 };
      hours.set(time, h);
      if (t > h.last) {
        h.last = t;
        h.close = Number(f[close]);
      }
      h.volume += Number(f[volume]);
      h.takerBuyVolume += Number(f[takerBuy]);
      h.trades += Number(f[count]);
    }
  }
  return [...hours.values()]
    .sort((a, b) => a.time - b.time)
    .map((h) => ({ time: h.time, close: h.close, volume: h.volume, takerBuyVolume: h.takerBuyVolume, takerSellVolume: h.volume - h.takerBuyVolume, trades: h.trades }));
};

export const hourlyKlineRows = (dir: string, symbol: string): FeatureRow[] =>
  computeFeatures({ interval: '1h', bars: hourlyBars(dir, symbol), market: hourlyBars(dir, 'BTCUSDT'), marketCaps: [], sentiment: [] });
