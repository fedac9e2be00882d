/**
 * One row of the order-book lake: a snapshot or an update of one exchange's book of one symbol,
 * the canonical book event as the connector's book keeper passed it, and who made it: the exchange
 * (its snapshots, a resync's fresh book, and every update) or the archive (its own snapshot every
 * N seconds, so that a replay never starts further back than that).
 */
import * as t from 'io-ts';
import { canonicalJson } from '../../events/canonical.js';
import { EventTime } from '../../validation.js';
import { BookSnapshotData, BookUpdateData } from '../bookEvents.js';

export const BookRowCodec = t.union([
  t.type({ kind: t.literal('bookSnapshot'), origin: t.keyof({ exchange: null, archive: null }), data: BookSnapshotData }),
  t.type({ kind: t.literal('bookUpdate'), origin: t.literal('exchange'), data: BookUpdateData }),
]);
export type BookRow = t.TypeOf<typeof BookRowCodec>;

/** The bytes a digest hashes: the row's canonical JSON (sorted keys, no white space), UTF-8. */
export const bookRowText = (row: BookRow): string => canonicalJson(row);

/** A book's identity: the lake's and the ledger's key for it. */
export const bookKey = (exchange: string, symbol: string): string => `${exchange}/${symbol}`;

/** A row as the archive's journal keeps it: with the interval it was assigned to, so a restart regroups it exactly. */
export const JournalEntryCodec = t.type({ intervalStart: EventTime, row: BookRowCodec });
export type JournalEntry = t.TypeOf<typeof JournalEntryCodec>;
