/**
 * One row of the order-book lake: a snapshot or a delta of one exchange's book of one symbol, as
 * the archive keeps it. Levels stay the exchange's decimal strings; a delta's quantities are
 * absolute ("0" removes the level). `sequence` is the exchange's own number of the update (null
 * for exchanges that number none, such as Kraken's checksummed book). `origin` says who made a
 * snapshot: the exchange (a resync's fresh book) or the archive (its own every N seconds, so that
 * a replay never starts further back than that).
 */
import * as t from 'io-ts';
import { canonicalJson } from '../../events/canonical.js';
import { DecimalString, EventTime, ExchangeIdCodec, MarketSymbolCodec, NonNegativeInt } from '../../validation.js';

const LevelCodec = t.tuple([DecimalString, DecimalString]);

export const BookRowCodec = t.type({
  exchange: ExchangeIdCodec,
  symbol: MarketSymbolCodec,
  kind: t.keyof({ snapshot: null, delta: null }),
  origin: t.keyof({ exchange: null, archive: null }),
  sequence: t.union([NonNegativeInt, t.null]),
  eventTime: EventTime,
  bids: t.array(LevelCodec),
  asks: t.array(LevelCodec),
});
export type BookRow = t.TypeOf<typeof BookRowCodec>;

/** The bytes a digest hashes: the row's canonical JSON (sorted keys, no white space), UTF-8. */
export const bookRowBytes = (row: BookRow): string => canonicalJson(row);

/** A book's identity: the lake's and the ledger's key for it. */
export const bookKey = (exchange: string, symbol: string): string => `${exchange}/${symbol}`;
