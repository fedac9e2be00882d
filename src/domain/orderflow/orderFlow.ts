/**
 * Order flow per bar, a pure fold over a range's candles and its book-imbalance minutes: taker
 * buy and sell volume, their delta (buy − sell), the cumulative volume delta (CVD: the running sum
 * of the deltas from the first bar of the range) and the bar's book imbalance (bookImbalance.ts:
 * the time-weighted touch imbalance over the observed part of the bar; null when the book was not
 * observed in it). Volumes are the candles' exact fixed-point sums, served as decimal strings.
 *
 * One bar per candle: a bar without trades has no candle and no bar (the OHLCV answer's gaps say
 * whether that is a quiet market or missing data), so its book imbalance alone is not served.
 */
import { formatFixed } from '../decimal.js';
import type { Candle } from '../folds/candle.js';
import { bucketStart, type Interval } from '../time.js';
import { meanImbalance, type ImbalanceMinute } from './bookImbalance.js';

export type FlowCandle = Pick<Candle, 'bucketStart' | 'volume' | 'takerBuyVolume' | 'takerSellVolume'>;

export interface OrderFlowBar {
  readonly time: number;
  /** Base volumes, exact decimal strings. */
  readonly volume: string;
  readonly takerBuyVolume: string;
  readonly takerSellVolume: string;
  /** takerBuyVolume − takerSellVolume. */
  readonly delta: string;
  /** Σ delta over the range's bars up to and including this one (plus the fold's starting CVD). */
  readonly cvd: string;
  /** Time-weighted touch imbalance in [−1, 1] over the observed part of the bar; null: not observed. */
  readonly imbalance: number | null;
}

/**
 * The bars of `candles` (bars of `interval`, in any order; served sorted by time), each with the
 * imbalance of the minutes that fall in it. `startCvd` continues a CVD from an earlier range, so
 * folding a range in two parts, the second from the first's last CVD, gives the same bars.
 */
export const orderFlowBars = (candles: readonly FlowCandle[], minutes: readonly ImbalanceMinute[], interval: Interval, startCvd = 0n): OrderFlowBar[] => {
  const imbalanceOf = new Map<number, { weighted: number; observedMs: number }>();
  for (const m of minutes) {
    const bar = bucketStart(m.minute, interval);
    const acc = imbalanceOf.get(bar);
    if (acc === undefined) imbalanceOf.set(bar, { weighted: m.weighted, observedMs: m.observedMs });
    else {
      acc.weighted += m.weighted;
      acc.observedMs += m.observedMs;
    }
  }
  let cvd = startCvd;
  return [...candles]
    .sort((a, b) => a.bucketStart - b.bucketStart)
    .map((c) => {
      const delta = c.takerBuyVolume - c.takerSellVolume;
      cvd += delta;
      const book = imbalanceOf.get(c.bucketStart);
      return {
        time: c.bucketStart,
        volume: formatFixed(c.volume),
        takerBuyVolume: formatFixed(c.takerBuyVolume),
        takerSellVolume: formatFixed(c.takerSellVolume),
        delta: formatFixed(delta),
        cvd: formatFixed(cvd),
        imbalance: book === undefined ? null : meanImbalance(book.weighted, book.observedMs),
      };
    });
};
