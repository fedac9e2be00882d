/**
 * Keeps one exchange's book for one symbol, validated by the exchange's rules (bookRules.ts): the
 * decision for each snapshot and update, as a pure state machine the connectors drive.
 *
 *   awaiting a snapshot: updates are held (Binance and Bitstamp subscribe first and fetch the REST
 *     snapshot after, as their procedures say), up to `maxHeld`; where the socket sends the
 *     snapshot, an update before it is stale (an older subscription's, covered by the snapshot);
 *   a snapshot: replaces the book, then the held updates are replayed through the rules;
 *   an update: its sequence is checked, its levels applied, then its checksum compared.
 *
 * A gap, a checksum that does not match or too many held updates clears the book and returns a
 * `resync` outcome carrying the record to keep (BookResyncData): the caller fetches or asks for a
 * fresh snapshot and records the resync; nothing is dropped silently. A stale update (already in
 * the snapshot, per the exchange's procedure) is `stale`, which the caller may count.
 */
import type { BookResyncData, BookResyncReason, BookSnapshotData, BookUpdateData } from './bookEvents.js';
import type { BookRules } from './bookRules.js';
import { OrderBook } from './orderBook.js';

export type BookEvent =
  | { readonly kind: 'bookSnapshot'; readonly data: BookSnapshotData }
  | { readonly kind: 'bookUpdate'; readonly data: BookUpdateData };

export type BookOutcome =
  /** `replayed`: after a snapshot, the held updates applied on top of it, in order; `stale`: how many held ones it already covered (dropped). */
  | { readonly kind: 'applied'; readonly replayed?: readonly BookUpdateData[]; readonly stale?: number }
  | { readonly kind: 'held' }
  | { readonly kind: 'stale' }
  | { readonly kind: 'resync'; readonly record: BookResyncData };

/** Updates held while awaiting a snapshot, by default: past it the keeper asks for a resync. */
export const DEFAULT_MAX_HELD = 10_000;

const APPLIED: BookOutcome = { kind: 'applied' };
const HELD: BookOutcome = { kind: 'held' };
const STALE: BookOutcome = { kind: 'stale' };

export class BookKeeper {
  readonly book: OrderBook;
  private synced = false;
  /**
   * Where the book stands in the exchange's sequence: one object, changed in place and handed to
   * the rules as it is, so checking an update allocates nothing.
   */
  private readonly at: { last: number | undefined; bridged: boolean } = { last: undefined, bridged: false };
  private held: BookUpdateData[] = [];

  constructor(
    readonly rules: BookRules,
    readonly symbol: string,
    private readonly maxHeld: number = DEFAULT_MAX_HELD,
  ) {
    this.book = new OrderBook(rules.exchange, symbol, rules.depth);
  }

  /** Whether the book is whole (a snapshot, and everything after it checked). */
  get isSynced(): boolean {
    return this.synced;
  }

  /** The sequence of the snapshot or the last update applied. */
  get sequence(): number | undefined {
    return this.at.last;
  }

  /** How many updates wait for a snapshot. */
  get heldCount(): number {
    return this.held.length;
  }

  apply(event: BookEvent): BookOutcome {
    return event.kind === 'bookSnapshot' ? this.applySnapshot(event.data) : this.applyUpdate(event.data);
  }

  applySnapshot(s: BookSnapshotData): BookOutcome {
    this.book.replace(s.bids, s.asks);
    this.synced = true;
    this.at.last = s.sequence;
    this.at.bridged = false;
    const bad = this.checksumMismatch(s.checksum, s.eventTime);
    if (bad !== undefined) return bad;
    const held = this.held;
    if (held.length === 0) return APPLIED;
    this.held = [];
    const replayed: BookUpdateData[] = [];
    let stale = 0;
    for (const u of held) {
      const r = this.applyUpdate(u);
      if (r.kind === 'resync') return r;
      if (r.kind === 'applied') replayed.push(u);
      else stale++;
    }
    return { kind: 'applied', replayed, stale };
  }

  applyUpdate(u: BookUpdateData): BookOutcome {
    if (!this.synced) {
      if (this.rules.snapshotFrom === 'socket') return STALE;
      if (this.held.length >= this.maxHeld) {
        return this.resync('overflow', `at most ${this.maxHeld} updates before a snapshot`, `${this.held.length + 1}`, u.eventTime);
      }
      this.held.push(u);
      return HELD;
    }
    const verdict = this.rules.sequence(this.at, u);
    switch (verdict.kind) {
      case 'stale':
        return STALE;
      case 'gap':
        return this.resync('gap', verdict.expected, verdict.got, u.eventTime);
      case 'reset':
        this.book.replace(u.bids, u.asks);
        this.at.bridged = false;
        break;
      case 'apply':
        this.book.change(u.bids, u.asks);
        this.at.bridged = true;
        break;
    }
    if (u.sequence !== undefined) this.at.last = u.sequence;
    return this.checksumMismatch(u.checksum, u.eventTime) ?? APPLIED;
  }

  /**
   * The connection that carried the book dropped: what arrived since may be lost, so the book is
   * no longer whole. Returns the record to keep, or undefined when the book was not synced.
   */
  disconnected(eventTime: number): BookResyncData | undefined {
    if (!this.synced) {
      this.held = [];
      return undefined;
    }
    const r = this.resync('disconnect', 'an open connection', 'the connection closed', eventTime);
    return r.record;
  }

  /**
   * The feed reports that a message of this book may have been lost without a number of the book
   * showing it (Coinbase's sequence_num counts the whole connection): the book is no longer whole.
   * Returns the record to keep, or undefined when the book was not synced.
   */
  lost(expected: string, got: string, eventTime: number): BookResyncData | undefined {
    if (!this.synced) return undefined;
    return this.resync('gap', expected, got, eventTime).record;
  }

  private checksumMismatch(sent: number | undefined, eventTime: number): (BookOutcome & { kind: 'resync' }) | undefined {
    if (sent === undefined || this.rules.checksum === undefined) return undefined;
    const computed = this.rules.checksum(this.book);
    if (computed === sent) return undefined;
    return this.resync('checksum', `checksum ${computed} (of the local book)`, `checksum ${sent}`, eventTime);
  }

  private resync(reason: BookResyncReason, expected: string, got: string, eventTime: number): BookOutcome & { kind: 'resync' } {
    this.book.clear();
    this.synced = false;
    this.at.last = undefined;
    this.at.bridged = false;
    this.held = [];
    const record: BookResyncData = {
      exchange: this.rules.exchange,
      symbol: this.symbol,
      reason,
      expected,
      got,
      eventTime,
    };
    return { kind: 'resync', record };
  }
}
