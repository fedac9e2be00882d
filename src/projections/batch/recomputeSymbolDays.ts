/**
 * Rebuilds a symbol's batch rows for whole event-time days from the ledger, corrections
 * applied, as the ledger stood at a given position. The result replaces those days' rows.
 */
import { upcastEvent } from '../../domain/events/catalogue.js';
import type { CandleData, TradeData } from '../../domain/events/market.js';
import type { CorrectionIssuedData } from '../../domain/events/corrections.js';
import { applyCorrections, tradeKey } from '../../domain/folds/corrections.js';
import type { RecordedEvent } from '../../domain/events/envelope.js';
import type { BatchStore, BatchViewMeta, BatchWrite, Ledger } from '../../domain/ports.js';
import { correctionStream } from '../../domain/streams.js';
import { DAY_MS, parseUtcDay, utcDay } from '../../domain/time.js';
import { MinuteAccumulator } from './minuteAccumulator.js';
import { dayRows, hourRows } from './rollups.js';
import { OHLCV_VIEW } from '../../domain/names.js';

export interface RecomputeRange {
  readonly symbol: string;
  readonly fromDay: string;
  readonly toDay: string;
}

const readDay = async (ledger: Ledger, kind: 'trades' | 'candles', symbol: string, day: string, through: number) => {
  const streams = await ledger.streamsMatching(`${kind}/`, `/${symbol}/${day}`);
  const events = await Promise.all(streams.map((s) => ledger.readStream(s, { throughPosition: through })));
  return events.flat();
};

/**
 * The recorded events a recompute of `range` reads, as the ledger stood at `throughPosition`:
 * the symbol's corrections, and its trades and klines of those days (their own streams, so the
 * rest of the ledger is never read). Both batch engines start from these.
 */
export const recomputeInputs = async (
  ledger: Ledger,
  range: RecomputeRange,
  throughPosition: number,
): Promise<{ corrections: RecordedEvent[]; trades: RecordedEvent[]; klines: RecordedEvent[] }> => {
  const corrections = await ledger.readStream(correctionStream(range.symbol), { throughPosition });
  const trades: RecordedEvent[][] = [];
  const klines: RecordedEvent[][] = [];
  for (let day = parseUtcDay(range.fromDay)!; day <= parseUtcDay(range.toDay)!; day += DAY_MS) {
    trades.push(await readDay(ledger, 'trades', range.symbol, utcDay(day), throughPosition));
    klines.push(await readDay(ledger, 'candles', range.symbol, utcDay(day), throughPosition));
  }
  // flat(), not push(...day): a busy symbol-day holds more events than a call takes arguments.
  return { corrections, trades: trades.flat(), klines: klines.flat() };
};

export const buildRecomputeWrite = async (
  ledger: Ledger,
  store: BatchStore,
  range: RecomputeRange,
  throughPosition: number,
): Promise<{ write: BatchWrite; version: number }> => {
  const from = parseUtcDay(range.fromDay)!;
  const to = parseUtcDay(range.toDay)! + DAY_MS;
  const inRange = (t: number): boolean => t >= from && t < to;
  const inputs = await recomputeInputs(ledger, range, throughPosition);

  const corrections: CorrectionIssuedData[] = [];
  for (const e of inputs.corrections) {
    const up = upcastEvent(e);
    if (up?.type === 'CorrectionIssued') corrections.push(up.data);
  }

  const trades: TradeData[] = [];
  const klines: CandleData[] = [];
  const seen = new Set<string>();
  for (const e of inputs.trades) {
    const up = upcastEvent(e);
    if (up?.type === 'TradeObserved') {
      trades.push(up.data);
      seen.add(tradeKey(up.data));
    }
  }
  for (const e of inputs.klines) {
    const up = upcastEvent(e);
    if (up?.type === 'CandleObserved') klines.push(up.data);
  }
  // Trades from other days that a replacement moves into this range.
  for (const c of corrections) {
    if (c.action !== 'replace' || !inRange(c.replacement.eventTime) || seen.has(tradeKey(c.target))) continue;
    const original = await ledger.findByDedupKey(tradeKey(c.target));
    const up = original === undefined || original.position > throughPosition ? undefined : upcastEvent(original);
    if (up?.type === 'TradeObserved') {
      trades.push(up.data);
      seen.add(tradeKey(up.data));
    }
  }

  const acc = new MinuteAccumulator();
  for (const t of applyCorrections(trades, corrections)) if (inRange(t.eventTime)) acc.addTrade(t);
  for (const k of klines) acc.addKline(k);

  const touched = acc.bySymbol.get(range.symbol);
  const minutes = touched === undefined ? [] : [...touched.slots.values()].map((s) => ({ ...s, symbol: range.symbol }));
  const hours = hourRows(range.symbol, minutes);
  const days = dayRows(range.symbol, hours);
  const prev = await store.meta(OHLCV_VIEW, range.symbol);
  const version = (prev?.version ?? 0) + 1;
  const meta: BatchViewMeta = {
    view: OHLCV_VIEW,
    symbol: range.symbol,
    version,
    computedThrough: prev?.computedThrough ?? 0,
    throughPosition,
  };
  return {
    write: { replace: [{ symbol: range.symbol, from, to }], minutes, candles: [...hours, ...days], meta: [meta] },
    version,
  };
};
