/**
 * Each exchange's rules for keeping its book, as its documentation states them: how an update's
 * sequence numbers must follow the book's (a gap means the book has lost a message), which
 * checksum it sends, and how many levels the book keeps. bookKeeper.ts applies them.
 *
 *   binance   diff depth stream + REST snapshot ("How to manage a local order book correctly"):
 *             drop an event whose `u` ≤ the snapshot's lastUpdateId; the first kept event must
 *             have U ≤ lastUpdateId+1 (and u ≥ lastUpdateId+1); each next one U = previous u + 1.
 *   okx       `books`: each message's prevSeqId equals the previous message's seqId (the snapshot
 *             starts the chain; an update with no change repeats seqId); CRC32 of the top 25.
 *   bybit     v5 `orderbook`: update id `u` counts the messages of a book, one by one; a message
 *             with u = 1 is a new snapshot (the service restarted) and replaces the book.
 *   bitstamp  `diff_order_book` + REST order_book: updates whose microtimestamp is not after the
 *             snapshot's (or the last applied one's) are already in the book and are dropped.
 *   coinbase  Advanced Trade `level2`: a snapshot then updates, ordered by sequence_num; one at or
 *             below the book's is dropped. (sequence_num counts the whole connection, so a jump
 *             is not a gap of this book: the connection's continuity is the connector's check.)
 *   kraken    v2 `book`: no sequence; CRC32 of the top 10 after every message; the book is cut
 *             to the subscribed depth after each message.
 *   gemini    v2 `l2`: a snapshot (the first l2_updates) then changes; nothing to check.
 *   bitfinex  `book` P0: snapshot then changes; the checksum message (flag 131072) gives the CRC32
 *             of the top 25, checked as an update with no levels.
 */
import type { BookUpdateData } from './bookEvents.js';
import { bitfinexChecksum, krakenChecksum, okxChecksum } from './bookChecksums.js';
import type { OrderBook } from './orderBook.js';

/** What an update's sequence numbers say against the book's. */
export type SequenceVerdict =
  | { readonly kind: 'apply' }
  /** Already in the book (older than its snapshot): ignored, as the exchange's procedure says. */
  | { readonly kind: 'stale' }
  /** A new whole book (Bybit's u = 1): replaces the book. */
  | { readonly kind: 'reset' }
  | { readonly kind: 'gap'; readonly expected: string; readonly got: string };

export interface SequencePosition {
  /** The sequence of the snapshot or of the last update applied; undefined when the exchange has none. */
  readonly last: number | undefined;
  /** Whether an update has been applied since the snapshot (Binance's first event bridges the snapshot). */
  readonly bridged: boolean;
}

export interface BookRules {
  readonly exchange: string;
  /** Levels the book keeps per side (the subscribed depth, where the exchange sends no removal past it). */
  readonly depth: number | undefined;
  /**
   * Where a snapshot comes from. `rest`: fetched after subscribing (Binance, Bitstamp), so the
   * updates that arrive first are held and replayed on it. `socket`: sent on (re)subscribing, so
   * an update before it belongs to an older subscription and the snapshot already covers it.
   */
  readonly snapshotFrom: 'rest' | 'socket';
  sequence(at: SequencePosition, u: BookUpdateData): SequenceVerdict;
  /** The exchange's checksum of the book as it stands, in the exchange's convention; none when it sends none. */
  readonly checksum: ((book: OrderBook) => number) | undefined;
}

const APPLY: SequenceVerdict = { kind: 'apply' };
const STALE: SequenceVerdict = { kind: 'stale' };
const RESET: SequenceVerdict = { kind: 'reset' };
const show = (n: number | undefined): string => (n === undefined ? 'none' : String(n));
const missing = (field: string): SequenceVerdict => ({ kind: 'gap', expected: `a ${field}`, got: 'none' });

const binanceSequence = (at: SequencePosition, u: BookUpdateData): SequenceVerdict => {
  if (u.sequence === undefined || u.firstSequence === undefined) return missing('first and final update id (U, u)');
  if (at.last === undefined) return missing('snapshot lastUpdateId');
  if (u.sequence <= at.last) return STALE;
  if (at.bridged ? u.firstSequence === at.last + 1 : u.firstSequence <= at.last + 1) return APPLY;
  return { kind: 'gap', expected: `U ${at.bridged ? '=' : '≤'} ${at.last + 1}`, got: `U ${u.firstSequence}` };
};

const okxSequence = (at: SequencePosition, u: BookUpdateData): SequenceVerdict => {
  if (u.prevSequence === undefined || u.sequence === undefined) return missing('prevSeqId and seqId');
  if (u.prevSequence === at.last) return APPLY;
  return { kind: 'gap', expected: `prevSeqId ${show(at.last)}`, got: `prevSeqId ${u.prevSequence}` };
};

const bybitSequence = (at: SequencePosition, u: BookUpdateData): SequenceVerdict => {
  if (u.sequence === undefined) return missing('update id u');
  if (u.sequence === 1) return RESET;
  if (at.last !== undefined && u.sequence <= at.last) return STALE;
  if (at.last !== undefined && u.sequence === at.last + 1) return APPLY;
  return { kind: 'gap', expected: `u ${at.last === undefined ? 'after a snapshot' : at.last + 1}`, got: `u ${u.sequence}` };
};

/** Bitstamp's microtimestamp, Coinbase's sequence_num: later than the book's, or already in it. */
const increasingSequence = (field: string) => (at: SequencePosition, u: BookUpdateData): SequenceVerdict => {
  if (u.sequence === undefined) return missing(field);
  return at.last !== undefined && u.sequence <= at.last ? STALE : APPLY;
};

const noSequence = (): SequenceVerdict => APPLY;

/** Kraken's subscription depth by default: 10 (a valid v2 depth: 10, 25, 100, 500, 1000). */
export const KRAKEN_BOOK_DEPTH = 10;

export const BOOK_RULES = {
  binance: (): BookRules => ({ exchange: 'binance', depth: undefined, snapshotFrom: 'rest', sequence: binanceSequence, checksum: undefined }),
  okx: (): BookRules => ({ exchange: 'okx', depth: undefined, snapshotFrom: 'socket', sequence: okxSequence, checksum: okxChecksum }),
  bybit: (): BookRules => ({ exchange: 'bybit', depth: undefined, snapshotFrom: 'socket', sequence: bybitSequence, checksum: undefined }),
  bitstamp: (): BookRules => ({ exchange: 'bitstamp', depth: undefined, snapshotFrom: 'rest', sequence: increasingSequence('microtimestamp'), checksum: undefined }),
  coinbase: (): BookRules => ({ exchange: 'coinbase', depth: undefined, snapshotFrom: 'socket', sequence: increasingSequence('sequence_num'), checksum: undefined }),
  kraken: (depth: number = KRAKEN_BOOK_DEPTH): BookRules => ({ exchange: 'kraken', depth, snapshotFrom: 'socket', sequence: noSequence, checksum: krakenChecksum }),
  gemini: (): BookRules => ({ exchange: 'gemini', depth: undefined, snapshotFrom: 'socket', sequence: noSequence, checksum: undefined }),
  /**
   * `depth`: the subscription's `len` (Bitfinex keeps that many levels and sends no removal past
   * it); at least 25, the levels its checksum covers.
   */
  bitfinex: (depth: number = 25): BookRules => ({ exchange: 'bitfinex', depth, snapshotFrom: 'socket', sequence: noSequence, checksum: bitfinexChecksum }),
} as const;

export type BookExchange = keyof typeof BOOK_RULES;
export const isBookExchange = (s: string): s is BookExchange => Object.hasOwn(BOOK_RULES, s);
