/**
 * One row of a data.binance.vision kline CSV → a canonical candle, or a `rejected` item.
 *
 * Columns: open_time, open, high, low, close, volume, close_time, quote_volume, count,
 * taker_buy_volume, taker_buy_quote_volume, ignore. Decimal columns are kept as the exchange
 * wrote them; times are normalised to epoch ms (µs in 2025+ spot dumps). Domain rules (positive
 * prices, low ≤ open/close ≤ high, plausible times) are the command's to check, not ours.
 */
import type { CandleData } from '../../../domain/events/market.js';
import type { SourceItem } from '../../../domain/ports.js';
import { INTERVAL_MS, INTERVALS, type Interval } from '../../../domain/time.js';
import { isDecimal, isUnsignedInteger, parseEpochMs, splitCsv } from './csvFields.js';

export interface KlineContext {
  readonly exchange: string;
  readonly symbol: string;
  /** From the file name; when absent, inferred from close_time − open_time of each row. */
  readonly interval: Interval | undefined;
  /** `file:line`, for the reason of a rejection. */
  readonly where: string;
}

export const KLINE_COLUMNS = 12;
const DECIMAL_COLUMNS: ReadonlyArray<readonly [number, string]> = [
  [1, 'open'],
  [2, 'high'],
  [3, 'low'],
  [4, 'close'],
  [5, 'volume'],
  [7, 'quote_volume'],
];

const intervalOfSpan = (ms: number): Interval | undefined => INTERVALS.find((i) => INTERVAL_MS[i] === ms);

export const decodeKlineRow = (line: string, ctx: KlineContext): SourceItem => {
  const reject = (why: string): SourceItem => ({ kind: 'rejected', reason: `${ctx.where}: ${why}`, raw: line });
  const cells = splitCsv(line);
  if (cells.length !== KLINE_COLUMNS) return reject(`expected ${KLINE_COLUMNS} kline columns, got ${cells.length}`);
  const openTime = parseEpochMs(cells[0]!);
  if (openTime === undefined) return reject(`open_time must be an integer timestamp, got "${cells[0]}"`);
  for (const [index, name] of DECIMAL_COLUMNS) {
    if (!isDecimal(cells[index]!)) return reject(`${name} must be a decimal number, got "${cells[index]}"`);
  }
  const count = cells[8]!;
  if (!isUnsignedInteger(count) || !Number.isSafeInteger(Number(count))) return reject(`count must be a non-negative integer, got "${count}"`);
  let interval = ctx.interval;
  if (interval === undefined) {
    const closeTime = parseEpochMs(cells[6]!);
    if (closeTime === undefined) return reject(`close_time must be an integer timestamp, got "${cells[6]}"`);
    interval = intervalOfSpan(closeTime - openTime + 1);
    if (interval === undefined) return reject(`cannot tell the interval: the candle spans ${closeTime - openTime + 1} ms, not one of ${INTERVALS.join(', ')}`);
  }
  const data: CandleData = {
    exchange: ctx.exchange,
    symbol: ctx.symbol,
    interval,
    openTime,
    open: cells[1]!,
    high: cells[2]!,
    low: cells[3]!,
    close: cells[4]!,
    volume: cells[5]!,
    quoteVolume: cells[7]!,
    trades: Number(count),
  };
  return { kind: 'candle', data };
};
