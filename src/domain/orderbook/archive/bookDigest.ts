/**
 * What the ledger records of one closed interval of one book (BookDigestRecorded), from its rows
 * in order. The hash is SHA-256 over the rows' canonical texts, each followed by a line feed (the
 * rows as JSON lines): computed by the caller, since the domain does no I/O and hashes nothing.
 */
import type { BookDigestRecordedData } from '../../events/bookDigests.js';
import { utcDay } from '../../time.js';
import type { BookRow } from './bookRow.js';

/** The text a digest's SHA-256 is taken over. */
export const digestInput = (texts: readonly string[]): string => texts.map((t) => `${t}\n`).join('');

/** Where an interval's rows live in the lake: the file name carries the hash, so other rows never overwrite them. */
export const bookIntervalFile = (exchange: string, symbol: string, intervalStart: number, sha256: string): string =>
  `raw/orderbook/exchange=${exchange}/date=${utcDay(intervalStart)}/${symbol}_${intervalStart}_${sha256.slice(0, 16)}.parquet`;

export const bookDigestOf = (rows: readonly BookRow[], interval: { start: number; ms: number }, sha256: string): BookDigestRecordedData => {
  const first = rows[0];
  const last = rows.at(-1);
  if (first === undefined || last === undefined) throw new Error('a book digest covers at least one row');
  const sequences = rows.map((r) => r.data.sequence).filter((s): s is number => s !== undefined);
  return {
    exchange: first.data.exchange,
    symbol: first.data.symbol,
    intervalStart: interval.start,
    intervalMs: interval.ms,
    count: rows.length,
    snapshots: rows.filter((r) => r.kind === 'bookSnapshot').length,
    firstSequence: sequences[0] ?? null,
    lastSequence: sequences.at(-1) ?? null,
    firstEventTime: first.data.eventTime,
    lastEventTime: last.data.eventTime,
    sha256,
    file: bookIntervalFile(first.data.exchange, first.data.symbol, interval.start, sha256),
  };
};
