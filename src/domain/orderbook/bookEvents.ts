/**
 * The canonical order-book events: a snapshot (the whole book as the exchange gave it), an update
 * (the levels that changed; quantity "0" removes a level) and a resync record (the book was found
 * wrong or incomplete and is rebuilt from a fresh snapshot).
 *
 * Every exchange numbers its book messages its own way; the events keep those numbers, named for
 * what they are, so each exchange's rule (bookRules.ts) can check them:
 *   sequence       the message's own number: Binance's final update id `u` (a REST snapshot's
 *                  `lastUpdateId`), OKX's `seqId`, Bybit's update id `u`, Bitstamp's
 *                  `microtimestamp`, Coinbase's `sequence_num`
 *   firstSequence  Binance's first update id `U` of a diff
 *   prevSequence   OKX's `prevSeqId`: the sequence of the message before this one
 *   crossSequence  Bybit's cross sequence `seq` (orders messages across depths; kept, not checked)
 *   checksum       the exchange's CRC32 of its top levels after the message (Kraken, OKX, Bitfinex),
 *                  in the exchange's own convention (Kraken unsigned, OKX and Bitfinex signed)
 *
 * Books are not ledger events one per delta: the deltas go to the lake and the ledger keeps a
 * digest per book and interval. These codecs are what a decoder emits and the lake stores.
 */
import * as t from 'io-ts';
import { DecimalString, EventTime, ExchangeIdCodec, MarketSymbolCodec } from '../validation.js';

/** A safe non-negative integer: update ids and microsecond timestamps stay below 2^53. */
export const BookSequence = new t.Type<number, number, unknown>(
  'a non-negative safe integer (an exchange sequence number)',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0,
  (u, c) => (typeof u === 'number' && Number.isSafeInteger(u) && u >= 0 ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** A signed or unsigned 32-bit checksum as the exchange sends it. */
export const BookChecksum = new t.Type<number, number, unknown>(
  'a 32-bit integer checksum',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= -0x80000000 && u <= 0xffffffff,
  (u, c) => (typeof u === 'number' && Number.isInteger(u) && u >= -0x80000000 && u <= 0xffffffff ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** One price level: [price, quantity], the exchange's decimal strings. Quantity "0" removes it. */
export const BookLevel = t.tuple([DecimalString, DecimalString]);
export type BookLevel = t.TypeOf<typeof BookLevel>;

const bookFields = {
  exchange: ExchangeIdCodec,
  symbol: MarketSymbolCodec,
  bids: t.readonlyArray(BookLevel),
  asks: t.readonlyArray(BookLevel),
  eventTime: EventTime,
};

export const BookSnapshotData = t.intersection([
  t.type(bookFields),
  t.partial({ sequence: BookSequence, checksum: BookChecksum }),
]);
export type BookSnapshotData = t.TypeOf<typeof BookSnapshotData>;

export const BookUpdateData = t.intersection([
  t.type(bookFields),
  t.partial({
    sequence: BookSequence,
    firstSequence: BookSequence,
    prevSequence: BookSequence,
    crossSequence: BookSequence,
    checksum: BookChecksum,
  }),
]);
export type BookUpdateData = t.TypeOf<typeof BookUpdateData>;

/**
 * Why a book was rebuilt: a sequence gap, a checksum that did not match, more updates waiting for
 * a snapshot than the keeper holds, or the connection that carried it dropped.
 */
export const BookResyncReason = t.keyof({ gap: null, checksum: null, overflow: null, disconnect: null });
export type BookResyncReason = t.TypeOf<typeof BookResyncReason>;

export const BookResyncData = t.type({
  exchange: ExchangeIdCodec,
  symbol: MarketSymbolCodec,
  reason: BookResyncReason,
  /** What the rule expected (`prevSeqId 1200`, `checksum 3310070434`), as text. */
  expected: t.string,
  /** What arrived instead. */
  got: t.string,
  /** The event time of the message that revealed it (the book's last when none). */
  eventTime: EventTime,
});
export type BookResyncData = t.TypeOf<typeof BookResyncData>;
