/**
 * Merged OHLCV: batch rows before the batch view's computedThrough, speed rows after, gaps
 * reported. When the batch store fails, the answer comes from the speed layer alone with
 * `degraded: true` and the uncovered part as a gap; when the speed layer covers none of the
 * range, there is nothing honest to answer and the query is unavailable (503) instead.
 */
import { candleView, rollUp, type Candle, type CandleView } from '../domain/folds/candle.js';
import { slotCandle } from '../domain/folds/minuteSlot.js';
import { layerSpans, mergeLayers, type GapSpan, type LayerSpan } from '../domain/folds/mergeLayers.js';
import { NotFoundError, UnavailableError } from '../domain/errors.js';
import type { BatchStore, BatchViewMeta, LiveStore } from '../domain/ports.js';
import { INTERVAL_MS, bucketStart, type Interval } from '../domain/time.js';
import { LIVE_PROJECTION, OHLCV_VIEW } from '../domain/names.js';

export interface OhlcvQuery {
  readonly symbol: string;
  readonly interval: Interval;
  readonly from: number;
  readonly to: number;
  /** One exchange only; all exchanges consolidated when absent. */
  readonly exchange?: string;
}

/** `T`: each candle as served (the API's CandleView, or the exact Candle for a fold over it such as order flow). */
export interface OhlcvAnswer<T = CandleView> {
  readonly symbol: string;
  readonly interval: Interval;
  readonly exchange: string | null;
  readonly from: number;
  readonly to: number;
  readonly candles: T[];
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

/**
 * Shares merged candles between queries while what they were computed from is unchanged (the
 * app's answer cache fits): `version` names the batch view's meta, the live store's checkpoint
 * and the speed layer's coverage, so a new batch version, a correction's recompute, an
 * incremental batch pass or a live commit all compute afresh.
 */
export type CandleMemo<T = CandleView> = (key: string, version: string, compute: () => Promise<T[]>) => Promise<T[]>;

/** A failed batch read inside the candle computation: the answer degrades to the speed layer. */
class BatchReadError extends Error {}

const MINUTE = INTERVAL_MS['1m'];
/** Every candle edge is a whole minute, so candles depend on `to` only through the minute it ends in. */
const minuteCeil = (t: number): number => Math.ceil(t / MINUTE) * MINUTE;

interface CandleInput {
  readonly q: OhlcvQuery;
  readonly from: number;
  readonly meta: BatchViewMeta | undefined;
  readonly speedCoveredFrom: number;
}

/** Reads both layers and merges them into the candles served (at most MAX_CANDLES). */
const mergedCandles = async <T>(stores: { batch: BatchStore; live: LiveStore }, { q, from, meta, speedCoveredFrom }: CandleInput, view: (c: Candle) => T): Promise<T[]> => {
  const size = INTERVAL_MS[q.interval];
  const boundary = meta?.computedThrough ?? Number.NEGATIVE_INFINITY;
  let batchCandles: Candle[] = [];
  let batchMinutes: Candle[] = [];
  if (meta !== undefined) {
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
      throw new BatchReadError(`batch store unavailable: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const speedFrom = Math.max(from, bucketStart(Math.max(boundary, from), q.interval));
  const speedMinutes = q.to > speedFrom
    ? candlesOf(await stores.live.minutes(q.symbol, speedFrom, q.to), q.exchange, (r) => slotCandle(r.slot))
    : [];
  const merged = mergeLayers({ interval: q.interval, from, to: q.to, boundary, batchCandles, batchMinutes, speedMinutes, speedCoveredFrom });
  return merged.candles.filter((c) => c.bucketStart + size > from).slice(0, MAX_CANDLES).map(view);
};

/**
 * What this process's own live projection has committed to the live store: a version of its
 * content and each series' coverage. With it, a cached answer is checked without asking the live
 * store (on Redis, two round trips per query); without it (an API-only process), the store's
 * checkpoint is asked.
 */
export interface LiveCommitted {
  /** Moves whenever the store's content may have changed (not with commits that changed no series). */
  contentVersion(): number;
  coverage(symbol: string): ReadonlyArray<{ readonly exchange: string; readonly coveredFrom: number }>;
}

export const queryOhlcv = (stores: { batch: BatchStore; live: LiveStore }, q: OhlcvQuery, memo?: CandleMemo, committed?: LiveCommitted): Promise<OhlcvAnswer> =>
  queryMergedCandles(stores, q, candleView, memo, committed);

/** The merged answer with each candle as `view` makes it (queryOhlcv's, with `candleView`). */
export const queryMergedCandles = async <T>(
  stores: { batch: BatchStore; live: LiveStore },
  q: OhlcvQuery,
  view: (c: Candle) => T,
  memo?: CandleMemo<T>,
  committed?: LiveCommitted,
): Promise<OhlcvAnswer<T>> => {
  const from = bucketStart(q.from, q.interval);
  const [series, batchMeta, liveCheckpoint] = await Promise.all([
    committed === undefined ? stores.live.seriesOf(q.symbol) : committed.coverage(q.symbol),
    stores.batch.meta(OHLCV_VIEW, q.symbol).then(
      (meta) => ({ ok: true as const, meta }),
      (e: unknown) => ({ ok: false as const, reason: `batch store unavailable: ${e instanceof Error ? e.message : String(e)}` }),
    ),
    memo === undefined ? 0 : (committed?.contentVersion() ?? stores.live.checkpoint(LIVE_PROJECTION)),
  ]);
  if (series.length === 0 && batchMeta.ok && batchMeta.meta === undefined) throw new NotFoundError(`unknown symbol ${q.symbol}`);
  const relevant = q.exchange === undefined ? series : series.filter((s) => s.exchange === q.exchange);
  const speedCoveredFrom = relevant.length === 0 ? Number.POSITIVE_INFINITY : Math.max(...relevant.map((s) => s.coveredFrom));
  const answer = (candles: T[], meta: BatchViewMeta | undefined, unavailable: string | undefined): OhlcvAnswer<T> => ({
    symbol: q.symbol,
    interval: q.interval,
    exchange: q.exchange ?? null,
    from,
    to: q.to,
    candles,
    ...layerSpans({
      interval: q.interval,
      from,
      to: q.to,
      boundary: meta?.computedThrough ?? Number.NEGATIVE_INFINITY,
      speedCoveredFrom,
      ...(unavailable === undefined ? {} : { batchUnavailableReason: unavailable }),
    }),
    batch: meta === undefined ? null : { version: meta.version, computedThrough: meta.computedThrough },
    degraded: unavailable !== undefined,
  });

  let unavailable: string;
  if (batchMeta.ok) {
    const input: CandleInput = { q, from, meta: batchMeta.meta, speedCoveredFrom };
    const compute = () => mergedCandles(stores, input, view);
    try {
      const m = batchMeta.meta;
      const candles = memo === undefined
        ? await compute()
        : await memo(
            [q.symbol, q.interval, from, minuteCeil(q.to), q.exchange ?? ''].join('|'),
            [m?.version, m?.computedThrough, m?.throughPosition, liveCheckpoint, speedCoveredFrom].join('|'),
            compute,
          );
      return answer(candles, batchMeta.meta, undefined);
    } catch (e) {
      if (!(e instanceof BatchReadError)) throw e;
      unavailable = e.message;
    }
  } else {
    unavailable = batchMeta.reason;
  }
  if (q.to <= speedCoveredFrom) {
    throw new UnavailableError(
      `${unavailable}; the speed layer does not cover ${new Date(from).toISOString()} .. ${new Date(q.to).toISOString()}, so this range needs the batch layer: retry shortly`,
      BATCH_RETRY_AFTER_SECONDS,
    );
  }
  // Never cached: the batch layer may be back by the next query.
  return answer(await mergedCandles(stores, { q, from, meta: undefined, speedCoveredFrom }, view), undefined, unavailable);
};
