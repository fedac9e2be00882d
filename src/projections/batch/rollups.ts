/**
 * Builds the 1h and 1d rows of a symbol from its minute slots: hours from minutes, days from
 * hours, per exchange. Both the incremental pass and a recompute use it, so they cannot disagree.
 */
import { rollUp, type Candle } from '../../domain/folds/candle.js';
import { slotCandle } from '../../domain/folds/minuteSlot.js';
import type { BatchCandleRow, BatchMinuteRow } from '../../domain/ports.js';
import { bucketStart } from '../../domain/time.js';

const byExchange = <T extends { exchange: string }>(rows: Iterable<T>): Map<string, T[]> => {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    let list = m.get(r.exchange);
    if (list === undefined) m.set(r.exchange, (list = []));
    list.push(r);
  }
  return m;
};

/** Hour rows for every hour that `minutes` (complete hours of minute rows) cover. */
export const hourRows = (symbol: string, minutes: Iterable<BatchMinuteRow>): BatchCandleRow[] => {
  const out: BatchCandleRow[] = [];
  for (const [exchange, rows] of byExchange(minutes)) {
    const candles: Candle[] = [];
    for (const r of rows) {
      const c = slotCandle(r.slot);
      if (c !== undefined) candles.push(c);
    }
    for (const candle of rollUp(candles, '1h')) out.push({ exchange, symbol, interval: '1h', candle });
  }
  return out;
};

/** Day rows for every day that `hours` (complete days of hour rows) cover. */
export const dayRows = (symbol: string, hours: Iterable<BatchCandleRow>): BatchCandleRow[] => {
  const out: BatchCandleRow[] = [];
  for (const [exchange, rows] of byExchange(hours)) {
    for (const candle of rollUp(rows.map((r) => r.candle), '1d')) out.push({ exchange, symbol, interval: '1d', candle });
  }
  return out;
};

export const hoursOf = (minutes: Iterable<number>): Set<number> => new Set([...minutes].map((m) => bucketStart(m, '1h')));
export const daysOf = (times: Iterable<number>): Set<number> => new Set([...times].map((m) => bucketStart(m, '1d')));
