/**
 * Row keys of the HBase batch views, as ARCHITECTURE.md defines them:
 * `{symbol}#{interval}#{bucketStart}`, the time zero-padded to a fixed width so that byte order
 * is time order and a range of buckets is one contiguous range scan. A symbol never contains
 * `#` (symbols are `BASE-QUOTE`), so one symbol's rows never interleave with another's.
 */
export type RowInterval = '1m' | '1h' | '1d';

/** Digits of an epoch-ms time: enough for any date before the year 5000. */
const TIME_WIDTH = 15;

const paddedTime = (t: number): string => {
  if (!Number.isSafeInteger(t) || t < 0) throw new RangeError(`row key time ${t}: expected a non-negative integer of epoch ms`);
  return String(t).padStart(TIME_WIDTH, '0');
};

const checkedPart = (what: string, s: string): string => {
  if (s.length === 0 || s.includes('#')) throw new RangeError(`row key ${what} ${JSON.stringify(s)}: expected non-empty text without '#'`);
  return s;
};

export const viewRowKey = (symbol: string, interval: RowInterval, bucketStart: number): string =>
  `${checkedPart('symbol', symbol)}#${interval}#${paddedTime(bucketStart)}`;

/** The scan bounds of buckets with from ≤ bucketStart < to (clamped at 0). */
export const viewRowRange = (symbol: string, interval: RowInterval, from: number, to: number): { start: string; end: string } => ({
  start: viewRowKey(symbol, interval, Math.max(0, from)),
  end: viewRowKey(symbol, interval, Math.max(0, to)),
});

export const parseViewRowKey = (key: string): { symbol: string; interval: RowInterval; bucketStart: number } => {
  const [symbol, interval, time, ...rest] = key.split('#');
  if (symbol === undefined || time === undefined || rest.length > 0 || (interval !== '1m' && interval !== '1h' && interval !== '1d') || !/^\d+$/.test(time)) {
    throw new Error(`not a view row key: ${JSON.stringify(key)}`);
  }
  return { symbol, interval, bucketStart: Number(time) };
};

/** `views` rows: `{view}#{symbol}`, so one view's rows are one range, ordered by symbol. */
export const metaRowKey = (view: string, symbol: string): string => `${checkedPart('view', view)}#${checkedPart('symbol', symbol)}`;

/** Every row whose key starts with `prefix`: '#' + 1 is '$'. */
export const metaRowRange = (view: string): { start: string; end: string } => ({ start: `${checkedPart('view', view)}#`, end: `${view}$` });
