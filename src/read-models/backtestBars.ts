/**
 * The bars a backtest runs on: the merged OHLCV candles of [from, to) (batch ∪ speed, as the API
 * serves them), read page by page (an answer holds at most MAX_CANDLES), as typed arrays, with
 * where they came from. A bar the layers do not cover is simply absent: the strategy sees the bars
 * that exist, and the answer counts the gaps.
 */
import type { Bars } from '../domain/backtest/signals.js';
import type { Interval } from '../domain/time.js';
import { INTERVAL_MS } from '../domain/time.js';
import type { OhlcvReader } from './risk.js';

export interface BacktestBars {
  readonly bars: Bars;
  /** The OHLCV batch view of the first page (null when only the speed layer held the bars). */
  readonly batch: { readonly view: 'ohlcv'; readonly version: number; readonly computedThrough: number } | null;
  /** Spans of the range neither layer covers. */
  readonly gaps: number;
}

export const readBacktestBars = async (ohlcv: OhlcvReader, symbol: string, interval: Interval, from: number, to: number): Promise<BacktestBars> => {
  const time: number[] = [];
  const open: number[] = [];
  const close: number[] = [];
  let batch: BacktestBars['batch'] = null;
  // Every page reaches to `to`, so a gap is seen by each page before it: counted once by its start.
  const gapStarts = new Set<number>();
  let first = true;
  for (let cursor = from; cursor < to; ) {
    const page = await ohlcv({ symbol, interval, from: cursor, to });
    if (first && page.batch !== null) batch = { view: 'ohlcv', ...page.batch };
    first = false;
    for (const g of page.gaps) gapStarts.add(g.from);
    const candles = page.candles.filter((c) => c.time >= cursor && c.time < to);
    for (const c of candles) {
      time.push(c.time);
      open.push(c.open);
      close.push(c.close);
    }
    if (candles.length === 0) break;
    cursor = candles[candles.length - 1]!.time + INTERVAL_MS[interval];
  }
  return { bars: { time: Float64Array.from(time), open: Float64Array.from(open), close: Float64Array.from(close) }, batch, gaps: gapStarts.size };
};
