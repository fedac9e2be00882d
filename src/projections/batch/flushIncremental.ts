/**
 * Merges what a page of new events touched into the batch store's rows: minute slots merged
 * with the stored ones, then every touched hour and day rebuilt from its complete set of rows.
 */
import { mergeSlots } from '../../domain/folds/minuteSlot.js';
import type { BatchCandleRow, BatchMinuteRow, BatchStore, BatchViewMeta, BatchWrite } from '../../domain/ports.js';
import { INTERVAL_MS, bucketStart } from '../../domain/time.js';
import type { MinuteAccumulator } from './minuteAccumulator.js';
import { dayRows, daysOf, hourRows, hoursOf } from './rollups.js';
import { OHLCV_VIEW } from '../../domain/names.js';

const HOUR = INTERVAL_MS['1h'];
const DAY = INTERVAL_MS['1d'];

const rowKey = (exchange: string, t: number): string => `${exchange}|${t}`;

export const buildIncrementalWrite = async (
  store: BatchStore,
  acc: MinuteAccumulator,
  throughPosition: number,
  allowedLatenessMs: number,
): Promise<BatchWrite> => {
  const minutes: BatchMinuteRow[] = [];
  const candles: BatchCandleRow[] = [];
  const meta: BatchViewMeta[] = [];
  for (const [symbol, touched] of acc.bySymbol) {
    const from = bucketStart(touched.minMinute, '1h');
    const to = bucketStart(touched.maxMinute, '1h') + HOUR;
    const stored = await store.minutes(symbol, from, to);
    const all = new Map<string, BatchMinuteRow>();
    for (const r of stored) all.set(rowKey(r.exchange, r.minute), r);
    for (const [key, t] of touched.slots) {
      const prev = all.get(key);
      const row: BatchMinuteRow = { exchange: t.exchange, symbol, minute: t.minute, slot: prev === undefined ? t.slot : mergeSlots(prev.slot, t.slot) };
      all.set(key, row);
      minutes.push(row);
    }
    const touchedHours = hoursOf([...touched.slots.values()].map((s) => s.minute));
    const hours = hourRows(symbol, [...all.values()].filter((r) => touchedHours.has(bucketStart(r.minute, '1h'))));
    candles.push(...hours);

    const touchedDays = daysOf(touchedHours);
    const dayFrom = Math.min(...touchedDays);
    const dayTo = Math.max(...touchedDays) + DAY;
    const storedHours = await store.candles(symbol, '1h', dayFrom, dayTo);
    const hourMap = new Map<string, BatchCandleRow>();
    for (const r of storedHours) hourMap.set(rowKey(r.exchange, r.candle.bucketStart), r);
    for (const r of hours) hourMap.set(rowKey(r.exchange, r.candle.bucketStart), r);
    candles.push(...dayRows(symbol, [...hourMap.values()].filter((r) => touchedDays.has(bucketStart(r.candle.bucketStart, '1d')))));

    const prev = await store.meta(OHLCV_VIEW, symbol);
    const through = bucketStart(touched.maxEventTime - allowedLatenessMs, '1m');
    meta.push({
      view: OHLCV_VIEW,
      symbol,
      version: prev?.version ?? 1,
      computedThrough: Math.max(prev?.computedThrough ?? 0, through),
      throughPosition,
    });
  }
  return { replace: [], minutes, candles, meta };
};
