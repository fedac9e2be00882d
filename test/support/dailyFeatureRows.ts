/**
 * Feature rows of a coin of the shared daily OHLCV data, computed by the feature store's own code
 * (computeFeatures) with Bitcoin as the market. The files have no taker split, so flowImbalance is
 * null on every row: models on this data use DAILY_FEATURES, the default list without it.
 */
import path from 'node:path';
import { computeFeatures } from '../../src/domain/features/computeFeatures.js';
import type { FeatureRow } from '../../src/domain/features/featureRow.js';
import { DEFAULT_FEATURES } from '../../src/domain/models/index.js';
import { readDailyBars } from './dailyOhlcv.js';

export const DAILY_FEATURES = DEFAULT_FEATURES.filter((f) => f !== 'flowImbalance');

export const dailyFeatureRows = (dir: string, coin: string): FeatureRow[] => {
  const bars = readDailyBars(path.join(dir, `coin_${coin}.csv`)).map((b) => ({ ...b, takerBuyVolume: 0, takerSellVolume: 0, trades: 0 }));
  const market = readDailyBars(path.join(dir, 'coin_Bitcoin.csv'));
  return computeFeatures({ interval: '1d', bars, market, marketCaps: [], sentiment: [] });
};
