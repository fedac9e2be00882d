/**
 * The merge rule of the serving layer: batch rows before the batch view's `computedThrough`,
 * speed rows from it on, and every part of the asked range that neither layer covers reported
 * as a gap, never silently left out.
 */
import { INTERVAL_MS, bucketStart, type Interval } from '../time.js';
import { rollUp, type Candle } from './candle.js';

export interface Span {
  readonly from: number;
  readonly to: number;
}

export interface LayerSpan extends Span {
  readonly layer: 'batch' | 'speed';
}

export interface GapSpan extends Span {
  readonly reason: string;
}

export interface MergeInput {
  readonly interval: Interval;
  readonly from: number;
  readonly to: number;
  /** Batch view complete through this event time (minute-aligned); −∞ when there is no batch view. */
  readonly boundary: number;
  /** Batch candles at `interval` (any bucket; those not wholly before the boundary are ignored). */
  readonly batchCandles: readonly Candle[];
  /** Batch 1m candles for the bucket that straddles the boundary. */
  readonly batchMinutes: readonly Candle[];
  /** Speed-layer 1m candles (any exchange). */
  readonly speedMinutes: readonly Candle[];
  /** Event time from which the speed layer's minutes are complete. */
  readonly speedCoveredFrom: number;
  /** Why the batch layer is not used, when it is not (e.g. "batch store unavailable"). */
  readonly batchUnavailableReason?: string;
}

export interface MergeResult {
  readonly candles: Candle[];
  readonly sources: LayerSpan[];
  readonly gaps: GapSpan[];
}

/**
 * Which layer serves which part of the range, and the gaps. Apart from the candles, the only
 * part of a merge that depends on the exact end of the range rather than the minute it falls in.
 */
export type SpanInput = Pick<MergeInput, 'interval' | 'from' | 'to' | 'boundary' | 'speedCoveredFrom' | 'batchUnavailableReason'>;

export const layerSpans = (m: SpanInput): Pick<MergeResult, 'sources' | 'gaps'> => {
  const from = bucketStart(m.from, m.interval);
  const to = m.to;
  const boundary = Math.max(m.boundary, from);
  const speedFrom = Math.max(boundary, m.speedCoveredFrom);
  const sources: LayerSpan[] = [];
  if (boundary > from) sources.push({ layer: 'batch', from, to: Math.min(boundary, to) });
  if (to > speedFrom) sources.push({ layer: 'speed', from: speedFrom, to });

  const gaps: GapSpan[] = [];
  if (m.speedCoveredFrom > boundary && boundary < to) {
    gaps.push({
      from: boundary,
      to: Math.min(m.speedCoveredFrom, to),
      reason:
        m.batchUnavailableReason ??
        (m.boundary === Number.NEGATIVE_INFINITY
          ? 'no batch view yet, and the speed layer no longer holds this range'
          : 'the batch view is not computed this far yet, and the speed layer no longer holds this range'),
    });
  }
  return { sources, gaps };
};

export const mergeLayers = (m: MergeInput): MergeResult => {
  const size = INTERVAL_MS[m.interval];
  const from = bucketStart(m.from, m.interval);
  const to = m.to;
  const boundary = Math.max(m.boundary, from);
  const straddle = bucketStart(boundary, m.interval);
  const straddles = straddle < boundary && straddle + size > boundary && straddle < to;

  const batchWhole = m.batchCandles.filter((c) => c.bucketStart >= from && c.bucketStart + size <= boundary && c.bucketStart < to);
  const batchPart = straddles
    ? m.batchMinutes.filter((c) => c.bucketStart >= straddle && c.bucketStart < boundary)
    : [];
  const speedFrom = Math.max(boundary, m.speedCoveredFrom);
  const speedPart = m.speedMinutes.filter((c) => c.bucketStart >= speedFrom && c.bucketStart < to);

  const candles = [...rollUp(batchWhole, m.interval), ...rollUp([...batchPart, ...speedPart], m.interval)];
  const merged = rollUp(candles, m.interval);

  return { candles: merged, ...layerSpans(m) };
};
