/**
 * The ledger's record of one interval of one order book in the lake: how many rows, the
 * exchange's first and last sequence numbers, the SHA-256 over the rows' canonical bytes in
 * order, and the lake file that holds them. Books change far too often for a ledger event per
 * update; one digest per book and interval keeps them tamper-evident (a replay re-hashes the file
 * and compares) at a ledger row a minute.
 */
import * as t from 'io-ts';
import { EventTime, ExchangeIdCodec, MarketSymbolCodec, NonNegativeInt, Sha256Hex } from '../validation.js';

/** A lake-relative path under raw/orderbook/, plain names only (no `..`, no scheme). */
const BOOK_LAKE_FILE = /^raw\/orderbook\/exchange=[a-z][a-z0-9_-]*\/date=\d{4}-\d{2}-\d{2}\/[A-Za-z0-9_.=-]+\.parquet$/;
const LakeFile = t.refinement(t.string, (s) => BOOK_LAKE_FILE.test(s), 'a lake path like raw/orderbook/exchange=kraken/date=2024-01-02/BTC-USD_1704153600000.parquet');

export const BookDigestRecordedData = t.type({
  exchange: ExchangeIdCodec,
  symbol: MarketSymbolCodec,
  /** The interval: [intervalStart, intervalStart + intervalMs) of event time. */
  intervalStart: EventTime,
  intervalMs: NonNegativeInt,
  count: NonNegativeInt,
  snapshots: NonNegativeInt,
  firstSequence: t.union([NonNegativeInt, t.null]),
  lastSequence: t.union([NonNegativeInt, t.null]),
  firstEventTime: EventTime,
  lastEventTime: EventTime,
  sha256: Sha256Hex,
  file: LakeFile,
});
export type BookDigestRecordedData = t.TypeOf<typeof BookDigestRecordedData>;

/**
 * One digest per book, interval and content: a restart that records the same rows again appends
 * nothing; other rows for the same interval (a source replayed with more in it) are a digest of their own.
 */
export const bookDigestKey = (d: Pick<BookDigestRecordedData, 'exchange' | 'symbol' | 'intervalStart' | 'sha256'>): string =>
  `book-digest/${d.exchange}/${d.symbol}/${d.intervalStart}/${d.sha256}`;
