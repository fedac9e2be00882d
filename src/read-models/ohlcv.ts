/**
 * Merged OHLCV: batch rows before the batch view's computedThrough, speed rows after, gaps
 * reported. When the batch store fails, the answer comes from the speed layer alone with
 * `degraded: true` and the uncovered part as a gap; when the speed layer covers none of the
 * range, there is nothing honest to answer and the query is unavailable (503) instead.
 */
import { candleView, rollUp, type Candle, type CandleView } from '../domain/folds/candle.js';
import { slotCandle } from '../domain/folds/minuteSlot.js';
import { mergeLayers, type GapSpan, type LayerSpan } from '../domain/folds/mergeLayers.js';
import { NotFoundError, UnavailableError } from '../domain/errors.js';
import type { BatchStore, LiveStore } from '../domain/ports.js';
import { INTERVAL_MS, bucketStart, type Interval } from '../domain/time.js';
import { OHLCV_VIEW } from '../projections/batch/flushIncremental.js';

export interface OhlcvQuery {
  readonly symbol: string;
  readonly interval: Interval;
  readonly from: number;
  readonly to: number;
  /** One exchange only; all exchanges consolidated when absent. */
  readonly exchange?: string;
}

export interface OhlcvAnswer {
  readonly symbol: string;
  readonly interval: Interval;
  readonly exchange: string | null;
  readonly from: number;
  readonly to: number;
  readonly candles: CandleView[];
  readonly sources: LayerSpan[];
  readonly gaps: GapSpan[];
  readonly batch: { readonly version: number; readonly computedThrough: number } | null;
  readonly degraded: boolean;
}

/** What a client is told to wait before retrying a query that needs the batch layer while it is down. */
const BATCH_RETRY_AFTER_SECONDS = 5;

/** At most this many candles per answer: a client pages with from/to beyond it. */
export const MAX_CANDLES = 10_000;

const candlesOf = <T extends { exchange: string }>(rows: readonly T[], exchange: string | undefined, get: (r: T) => Candle | undefined): Candle[] => {
  const out: Candle[] = [];
  for (const r of rows) {
    if (exchange !== undefined && r.exchange !== exchange) continue;
    const c = get(r);
    if (c !== undefined) out.push(c);
  }
  return out;
};

export const queryOhlcv = async (stores: { batch: BatchStore; live: LiveStore }, q: OhlcvQuery): Promise<OhlcvAnswer> => {
  const size = INTERVAL_MS[q.interval];
  const from = bucketStart(q.from, q.interval);
  const [series, batchMeta] = await Promise.all([
    stores.live.seriesOf(q.symbol),
    stores.batch.meta(OHLCV_VIEW, q.symbol).then(
      (meta) => ({ ok: true as const, meta }),
      (e: unknown) => ({ ok: false as const, reason: `batch store unavailable: ${e instanceof Error ? e.message : String(e)}` }),
    ),
  ]);
  if (series.length === 0 && batchMeta.ok && batchMeta.meta === undefined) throw new NotFoundError(`unknown symbol ${q.symbol}`);
  const relevant = q.exchange === undefined ? series : series.filter((s) => s.exchange === q.exchange);
  const speedCoveredFrom = relevant.length === 0 ? Number.POSITIVE_INFINITY : Math.max(...relevant.map((s) => s.coveredFrom));

  let boundary = Number.NEGATIVE_INFINITY;
  let batchCandles: Candle[] = [];
  let batchMinutes: Candle[] = [];
  let degraded = !batchMeta.ok;
  let unavailable = batchMeta.ok ? undefined : batchMeta.reason;
  if (batchMeta.ok && batchMeta.meta !== undefined) {
    boundary = batchMeta.meta.computedThrough;
    try {
      const batchTo = Math.min(q.to, boundary);
      const straddle = bucketStart(boundary, q.interval);
      if (q.interval === '1h' || q.interval === '1d') {
        batchCandles = candlesOf(await stores.batch.candles(q.symbol, q.interval, from, batchTo), q.exchange, (r) => r.candle);
      } else if (batchTo > from) {
        batchCandles = rollUp(candlesOf(await stores.batch.minutes(q.symbol, from, batchTo), q.exchange, (r) => slotCandle(r.slot)), q.interval);
      }
      if (straddle < boundary && straddle < q.to) {
        batchMinutes = candlesOf(await stores.batch.minutes(q.symbol, straddle, boundary), q.exchange, (r) => slotCandle(r.slot));
      }
    } catch (e) {
      degraded = true;
      unavailable = `batch store unavailable: ${e instanceof Error ? e.message : String(e)}`;
      boundary = Number.NEGATIVE_INFINITY;
      batchCandles = [];
      batchMinutes = [];
    }
  }
  if (unavailable !== undefined && q.to <= speedCoveredFrom) {
    throw new UnavailableError(
      `${unavailable}; the speed layer does not cover ${new Date(from).toISOString()} .. ${new Date(q.to).toISOString()}, so this range needs the batch layer: retry shortly`,
      BATCH_RETRY_AFTER_SECONDS,
    );
  }
  const speedFrom = Math.max(from, bucketStart(Math.max(boundary, from), q.interval));
  const speedMinutes = q.to > speedFrom
    ? candlesOf(await stores.live.minutes(q.symbol, speedFrom, q.to), q.exchange, (r) => slotCandle(r.slot))
    : [];
  const merged = mergeLayers({
    interval: q.interval,
    from,
    to: q.to,
    boundary,
    batchCandles,
    batchMinutes,
    speedMinutes,
    speedCoveredFrom,
    ...(unavailable === undefined ? {} : { batchUnavailableReason: unavailable }),
  });
  const candles = merged.candles.filter((c) => c.bucketStart + size > from).slice(0, MAX_CANDLES).map(candleView);
  return {
    symbol: q.symbol,
    interval: q.interval,
    exchange: q.exchange ?? null,
    from,
    to: q.to,
    candles,
    sources: merged.sources,
    gaps: merged.gaps,
    batch: batchMeta.ok && batchMeta.meta !== undefined && !degraded
      ? { version: batchMeta.meta.version, computedThrough: batchMeta.meta.computedThrough }
      : null,
    degraded,
  };
};
