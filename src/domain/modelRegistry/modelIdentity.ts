/**
 * What names a registered model: one symbol, one kind, one bar interval and one horizon
 * (`BTC-USDT.return.1h`, `ETH-USDT.trend.24h`). Its trainings are its versions; aliases
 * (`champion`, `challenger`) point at versions. A horizon is written in hours or days (`1h`, `24h`,
 * `1d`, `7d`) and must be a whole number of bars of the interval.
 */
import { InvalidInputError } from '../errors.js';
import type { ModelInterval, ModelKindName } from '../events/models.js';
import { isMarketSymbol } from '../symbol.js';
import { INTERVAL_MS } from '../time.js';

export interface ModelTarget {
  readonly symbol: string;
  readonly kind: ModelKindName;
  readonly interval: ModelInterval;
  readonly horizonBars: number;
}

const KIND_WORD: Readonly<Record<ModelKindName, string>> = {
  'return-regression': 'return',
  'trend-classification': 'trend',
  anomaly: 'anomaly',
};

/** The horizon as people write it: hours below a day or when not whole days, else days. */
export const horizonLabel = (interval: ModelInterval, horizonBars: number): string => {
  const hours = (INTERVAL_MS[interval] * horizonBars) / 3_600_000;
  return interval === '1d' ? `${horizonBars}d` : `${hours}h`;
};

export const modelIdOf = (t: ModelTarget): string => `${t.symbol}.${KIND_WORD[t.kind]}.${horizonLabel(t.interval, t.horizonBars)}${t.interval === '1h' ? '' : `@${t.interval}`}`;

const HORIZON = /^(\d{1,4})([hd])$/;

/**
 * `1h` → 1 bar of 1h, `24h` → 24 bars of 1h; `1d`/`7d` → days of 1d bars unless the interval is
 * given as 1h (then 24 bars a day). Throws naming what is accepted.
 */
export const parseHorizon = (horizon: string, interval?: ModelInterval): { interval: ModelInterval; horizonBars: number } => {
  const m = HORIZON.exec(horizon);
  if (m === null || Number(m[1]) === 0) throw new InvalidInputError(`horizon "${horizon}" is not a number of hours or days like "1h", "24h" or "7d"`);
  const n = Number(m[1]);
  const hours = m[2] === 'h' ? n : n * 24;
  const bars = interval ?? (m[2] === 'd' ? '1d' : '1h');
  if (bars === '1d' && hours % 24 !== 0) throw new InvalidInputError(`horizon "${horizon}" is not a whole number of 1d bars: use the 1h interval or a horizon in days`);
  return { interval: bars, horizonBars: bars === '1d' ? hours / 24 : hours };
};

/** The symbol a model id names (its first part), checked. */
export const symbolOfModelId = (modelId: string): string => {
  const symbol = modelId.split('.')[0] ?? '';
  if (!isMarketSymbol(symbol)) throw new InvalidInputError(`model "${modelId}" does not start with a symbol like BTC-USDT (model ids look like BTC-USDT.return.1h)`);
  return symbol;
};
