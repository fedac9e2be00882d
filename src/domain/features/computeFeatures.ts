/**
 * Features per bar of one symbol's series, each a function of bars at or before it (and of market
 * facts recorded at or before its end) only. Every window is a window of time, not of rows: a bar
 * needs the bars at exactly t − k·interval, and a missing one makes the feature null rather than
 * silently stretching the window over the gap. That also makes a bar's features independent of
 * where the series asked for starts, as long as LOOKBACK_BARS of history come with it.
 */
import { InvalidInputError } from '../errors.js';
import { INTERVAL_MS, bucketStart } from '../time.js';
import {
  BOLLINGER_BARS,
  BOLLINGER_WIDTH,
  MACD_FAST,
  MACD_SIGNAL,
  MACD_SIGNAL_WINDOW_BARS,
  MACD_SLOW,
  MACD_WINDOW_BARS,
  REALISED_VOL_BARS,
  RSI_BARS,
  VOLUME_Z_BARS,
  type FeatureInterval,
} from './definitions.js';
import type { FeatureRow } from './featureRow.js';
import { ema, mean, populationSd, sampleSd, sequentialSum } from './windowStats.js';

/** One bar of the merged candles (all exchanges consolidated). */
export interface FeatureBar {
  /** Start of the bar, epoch ms. */
  readonly time: number;
  readonly close: number;
  readonly volume: number;
  /** Taker buy and sell volume of the bar's trades. */
  readonly takerBuyVolume: number;
  readonly takerSellVolume: number;
  readonly trades: number;
}

/** A market-cap snapshot (MarketSnapshotObserved) of the symbol. */
export interface MarketCapFact {
  readonly eventTime: number;
  /** Ledger position: orders facts of the same event time. */
  readonly position: number;
  readonly marketCapUsd: number;
  readonly rank: number | null;
}

/** A sentiment reading (SentimentObserved) of the symbol. */
export interface SentimentFact {
  readonly eventTime: number;
  readonly position: number;
  readonly score: number;
}

export interface FeatureInput {
  readonly interval: FeatureInterval;
  /** The symbol's bars, in time order, one per bucket. */
  readonly bars: readonly FeatureBar[];
  /** The market symbol's closes at the same interval, in time order. */
  readonly market: ReadonlyArray<Pick<FeatureBar, 'time' | 'close'>>;
  readonly marketCaps: readonly MarketCapFact[];
  readonly sentiment: readonly SentimentFact[];
}

const checkSeries = (what: string, bars: ReadonlyArray<{ time: number }>, size: number): void => {
  for (let i = 0; i < bars.length; i++) {
    const t = bars[i]!.time;
    if (t % size !== 0) throw new InvalidInputError(`${what}: bar ${i} starts at ${t}, not on an interval boundary of ${size} ms`);
    if (i > 0 && t <= bars[i - 1]!.time) throw new InvalidInputError(`${what}: bars must be in strictly increasing time order; bar ${i} (${t}) is not after bar ${i - 1}`);
  }
};

/** 1-bar log returns by bar start: ln(C_t / C_{t−1}) where bar t−1 exists. */
const oneBarReturns = (bars: ReadonlyArray<Pick<FeatureBar, 'time' | 'close'>>, size: number): Map<number, number> => {
  const closes = new Map(bars.map((b) => [b.time, b.close]));
  const out = new Map<number, number>();
  for (const b of bars) {
    const prev = closes.get(b.time - size);
    if (prev !== undefined) out.set(b.time, Math.log(b.close / prev));
  }
  return out;
};

/** The latest fact (by event time, then ledger position) at or before `t`; facts sorted by that order. */
const latestAtOrBefore = <F extends { eventTime: number; position: number }>(sorted: readonly F[], t: number): F | undefined => {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.eventTime <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? undefined : sorted[lo - 1];
};

const byTimeThenPosition = <F extends { eventTime: number; position: number }>(facts: readonly F[]): F[] =>
  [...facts].sort((a, b) => a.eventTime - b.eventTime || a.position - b.position);

export const computeFeatures = (input: FeatureInput): FeatureRow[] => {
  const size = INTERVAL_MS[input.interval];
  const { bars } = input;
  checkSeries('feature bars', bars, size);
  checkSeries('market bars', input.market, size);
  const at = new Map(bars.map((b) => [b.time, b]));
  const r1 = oneBarReturns(bars, size);
  const marketR1 = oneBarReturns(input.market, size);
  const change = new Map<number, number>();
  for (const b of bars) {
    const prev = at.get(b.time - size);
    if (prev !== undefined) change.set(b.time, b.close - prev.close);
  }
  const marketCaps = byTimeThenPosition(input.marketCaps);
  const sentiment = byTimeThenPosition(input.sentiment);

  /** Values of `of` at t − (n−1)·size .. t, oldest first; undefined unless all n exist. */
  const lastN = <V>(t: number, n: number, of: (time: number) => V | undefined): V[] | undefined => {
    const out: V[] = [];
    for (let k = n - 1; k >= 0; k--) {
      const v = of(t - k * size);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  };
  const close = (t: number) => at.get(t)?.close;
  const volume = (t: number) => at.get(t)?.volume;
  const r1At = (t: number) => r1.get(t);
  const logReturn = (t: number, c: number, h: number): number | null => {
    const past = close(t - h * size);
    return past === undefined ? null : Math.log(c / past);
  };

  // MACD per bar: EMAs over the closes of the bars in the last MACD_WINDOW_BARS intervals.
  const macd: Array<number | null> = [];
  let lo = 0;
  for (let i = 0; i < bars.length; i++) {
    const t = bars[i]!.time;
    while (bars[lo]!.time <= t - MACD_WINDOW_BARS * size) lo++;
    const closes = bars.slice(lo, i + 1).map((b) => b.close);
    macd.push(closes.length < MACD_SLOW ? null : ema(closes, MACD_FAST)! - ema(closes, MACD_SLOW)!);
  }

  const rows: FeatureRow[] = [];
  let signalLo = 0;
  let day = Number.NaN;
  let cvd = 0;
  for (let i = 0; i < bars.length; i++) {
    const b = bars[i]!;
    const t = b.time;
    while (bars[signalLo]!.time <= t - MACD_SIGNAL_WINDOW_BARS * size) signalLo++;
    const macds = macd.slice(signalLo, i + 1).filter((m): m is number => m !== null);
    const signal = macds.length < MACD_SIGNAL ? null : ema(macds, MACD_SIGNAL)!;
    const m = macd[i]!;

    const returns = lastN(t, REALISED_VOL_BARS, r1At);
    const changes = lastN(t, RSI_BARS, (x) => change.get(x));
    let rsi: number | null = null;
    if (changes !== undefined) {
      const gain = sequentialSum(changes.map((d) => (d > 0 ? d : 0))) / RSI_BARS;
      const loss = sequentialSum(changes.map((d) => (d < 0 ? -d : 0))) / RSI_BARS;
      rsi = loss === 0 ? 100 : 100 - 100 / (1 + gain / loss);
    }
    const band = lastN(t, BOLLINGER_BARS, close);
    let pctB: number | null = null;
    if (band !== undefined) {
      const mid = mean(band);
      const sd = populationSd(band);
      const lower = mid - BOLLINGER_WIDTH * sd;
      const upper = mid + BOLLINGER_WIDTH * sd;
      pctB = sd === 0 ? null : (b.close - lower) / (upper - lower);
    }
    const vols = lastN(t, VOLUME_Z_BARS, volume);
    let volumeZ: number | null = null;
    if (vols !== undefined) {
      const sd = sampleSd(vols);
      volumeZ = sd === 0 ? null : (b.volume - mean(vols)) / sd;
    }
    const delta = b.takerBuyVolume - b.takerSellVolume;
    const flow = b.takerBuyVolume + b.takerSellVolume;
    const barDay = bucketStart(t, '1d');
    if (barDay !== day) {
      day = barDay;
      cvd = 0;
    }
    // A bar without a candle had no trades: its delta is zero, so the day's sum skips it.
    cvd += delta;
    const end = t + size - 1;
    const cap = latestAtOrBefore(marketCaps, end);
    const mood = latestAtOrBefore(sentiment, end);
    rows.push({
      time: t,
      close: b.close,
      logReturn1: r1.get(t) ?? null,
      logReturn3: logReturn(t, b.close, 3),
      logReturn6: logReturn(t, b.close, 6),
      logReturn12: logReturn(t, b.close, 12),
      logReturn24: logReturn(t, b.close, 24),
      logReturn1Lag1: r1.get(t - size) ?? null,
      logReturn1Lag2: r1.get(t - 2 * size) ?? null,
      logReturn1Lag3: r1.get(t - 3 * size) ?? null,
      realisedVol24: returns === undefined ? null : sampleSd(returns),
      rsi14: rsi,
      macd: m,
      macdSignal: signal,
      macdHist: m === null || signal === null ? null : m - signal,
      bollingerPctB: pctB,
      volume: b.volume,
      volumeZ20: volumeZ,
      takerBuyVolume: b.takerBuyVolume,
      takerSellVolume: b.takerSellVolume,
      flowImbalance: flow === 0 ? null : delta / flow,
      cumulativeVolumeDelta: cvd,
      trades: b.trades,
      marketLogReturn1: marketR1.get(t) ?? null,
      marketCapUsd: cap?.marketCapUsd ?? null,
      marketCapRank: cap?.rank ?? null,
      sentiment: mood?.score ?? null,
    });
  }
  return rows;
};
