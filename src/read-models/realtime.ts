/** The realtime view of a symbol: latest trade per exchange, the current minute, running statistics. */
import { candleView, type CandleView } from '../domain/folds/candle.js';
import { slotCandle } from '../domain/folds/minuteSlot.js';
import { runningStats, type RunningStats } from '../domain/folds/runningStats.js';
import { NotFoundError } from '../domain/errors.js';
import type { LiveStore } from '../domain/ports.js';
import type { LatestTrade, SpeedPolicy } from '../domain/folds/series.js';
import { bucketStart } from '../domain/time.js';

export interface ExchangeRealtime {
  readonly exchange: string;
  readonly last: LatestTrade | null;
  readonly watermark: number;
  readonly lateEvents: number;
  readonly currentMinute: CandleView | null;
  readonly stats: RunningStats;
}

export interface RealtimeAnswer {
  readonly symbol: string;
  /** The most recent trade across exchanges. */
  readonly last: LatestTrade | null;
  readonly exchanges: ExchangeRealtime[];
}

/** Statistics are over the last hour of closed minutes. */
const STATS_WINDOW_MS = 3_600_000;

export const queryRealtime = async (live: LiveStore, symbol: string, policy: SpeedPolicy): Promise<RealtimeAnswer> => {
  const series = await live.seriesOf(symbol);
  if (series.length === 0) throw new NotFoundError(`unknown symbol ${symbol}`);
  const newest = Math.max(...series.map((s) => s.maxEventTime));
  const minutes = await live.minutes(symbol, bucketStart(newest, '1m') - STATS_WINDOW_MS, bucketStart(newest, '1m') + 60_000);
  const exchanges = series.map((s): ExchangeRealtime => {
    const watermark = s.maxEventTime - policy.allowedLatenessMs;
    const mine = minutes.filter((m) => m.exchange === s.exchange);
    const closed: CandleView[] = [];
    let current: CandleView | null = null;
    for (const m of mine) {
      const c = slotCandle(m.slot);
      if (c === undefined) continue;
      if (m.minute + 60_000 <= watermark) closed.push(candleView(c));
      else if (m.minute === bucketStart(s.maxEventTime, '1m')) current = candleView(c);
    }
    return { exchange: s.exchange, last: s.latest ?? null, watermark, lateEvents: s.lateEvents, currentMinute: current, stats: runningStats(closed) };
  });
  let last: LatestTrade | null = null;
  for (const e of exchanges) if (e.last !== null && (last === null || e.last.eventTime > last.eventTime)) last = e.last;
  return { symbol, last, exchanges };
};
