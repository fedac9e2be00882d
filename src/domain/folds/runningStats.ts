/**
 * Running statistics of one series from its closed minute candles: VWAP, realised volatility
 * and the z-score of the latest one-minute log return against the window's returns.
 */
import type { CandleView } from './candle.js';

export interface RunningStats {
  /** Minutes the figures are computed over. */
  readonly minutes: number;
  readonly vwap: number | null;
  /** Annualised realised volatility of 1m log returns (√(Σr²/n) × √(minutes per year)). */
  readonly realizedVolatility: number | null;
  /** (latest return − mean) / sample standard deviation of the window's returns. */
  readonly returnZScore: number | null;
  readonly lastReturn: number | null;
}

const MINUTES_PER_YEAR = 365 * 24 * 60;

/** `candles` sorted by time, one per minute. Returns are taken between adjacent minutes only. */
export const runningStats = (candles: readonly CandleView[]): RunningStats => {
  let volume = 0;
  let quote = 0;
  for (const c of candles) {
    volume += c.volume;
    quote += c.quoteVolume;
  }
  const returns: number[] = [];
  for (let i = 1; i < candles.length; i++) {
    const prev = candles[i - 1]!;
    const cur = candles[i]!;
    if (cur.time - prev.time === 60_000 && prev.close > 0 && cur.close > 0) returns.push(Math.log(cur.close / prev.close));
  }
  const n = returns.length;
  const mean = n > 0 ? returns.reduce((a, r) => a + r, 0) / n : 0;
  const sumSq = returns.reduce((a, r) => a + r * r, 0);
  const variance = n > 1 ? returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (n - 1) : 0;
  const last = n > 0 ? returns[n - 1]! : null;
  return {
    minutes: candles.length,
    vwap: volume > 0 ? quote / volume : null,
    realizedVolatility: n > 0 ? Math.sqrt(sumSq / n) * Math.sqrt(MINUTES_PER_YEAR) : null,
    returnZScore: last !== null && variance > 0 ? (last - mean) / Math.sqrt(variance) : null,
    lastReturn: last,
  };
};
