/**
 * Book message streams as each exchange would send them, built from a "true" book (the exchange's
 * own, a ReferenceBook) and a list of changes, for property tests of book keeping: the keeper fed
 * a stream must end with the true book. Sequence numbers and checksums follow each exchange's
 * documentation (see src/domain/orderbook/bookRules.ts); checksums are computed here independently
 * of the domain's, with plain strings and Node's zlib.crc32.
 */
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import type { BookLevel, BookSnapshotData, BookUpdateData } from '../../src/domain/orderbook/bookEvents.js';
import type { BookEvent } from '../../src/domain/orderbook/bookKeeper.js';
import { ReferenceBook, type Side } from './referenceBook.js';

export type Change = readonly [side: Side, price: string, qty: string];
export type Message = readonly Change[];

const T0 = Date.UTC(2024, 0, 1);

/** Prices on a grid of 0.1, bids below 4, asks from 4.1: "0.5" keeps a leading zero to strip. */
const priceOf = (tick: number): string => `${Math.floor(tick / 10)}.${tick % 10}`;
const qtyArb = fc.constantFrom('0.001', '1.5', '0.00100000', '12', '3.14159', '250', '0');
const changeArb: fc.Arbitrary<Change> = fc.oneof(
  fc.tuple(fc.constant('bids' as const), fc.integer({ min: 1, max: 40 }).map(priceOf), qtyArb),
  fc.tuple(fc.constant('asks' as const), fc.integer({ min: 41, max: 80 }).map(priceOf), qtyArb),
);
export const messagesArb = (max = 40): fc.Arbitrary<Message[]> => fc.array(fc.array(changeArb, { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: max });

/** The true book after each message: states[0] is empty, states[i] after messages[0..i). */
export const trueStates = (messages: readonly Message[]): ReferenceBook[] => {
  const states = [new ReferenceBook()];
  for (const m of messages) {
    const b = states[states.length - 1]!.clone();
    for (const [side, price, qty] of m) b.set(side, price, qty);
    states.push(b);
  }
  return states;
};

const levelsOf = (m: Message, side: Side): BookLevel[] => m.filter((c) => c[0] === side).map((c): BookLevel => [c[1], c[2]]);
const snapshotOf = (exchange: string, b: ReferenceBook, i: number, extra: Partial<BookSnapshotData> = {}): BookSnapshotData => {
  const t = b.top(Number.MAX_SAFE_INTEGER);
  return { exchange, symbol: 'BTC-USDT', bids: t.bids, asks: t.asks, eventTime: T0 + i, ...extra };
};
const updateOf = (exchange: string, m: Message, i: number, extra: Partial<BookUpdateData> = {}): BookUpdateData =>
  ({ exchange, symbol: 'BTC-USDT', bids: levelsOf(m, 'bids'), asks: levelsOf(m, 'asks'), eventTime: T0 + i, ...extra });
const snap = (data: BookSnapshotData): BookEvent => ({ kind: 'bookSnapshot', data });
const upd = (data: BookUpdateData): BookEvent => ({ kind: 'bookUpdate', data });

// ── Independent checksums ──────────────────────────────────────────────────────────────────
const krakenStrip = (s: string): string => s.replace('.', '').replace(/^0+/, '');
export const referenceKrakenChecksum = (b: ReferenceBook): number => {
  const t = b.top(10);
  const text = [...t.asks, ...t.bids].map(([p, q]) => krakenStrip(p) + krakenStrip(q)).join('');
  return crc32(text);
};
const interleavedText = (b: ReferenceBook, askSign: string): string => {
  const t = b.top(25);
  const parts: string[] = [];
  for (let i = 0; i < 25; i++) {
    const bid = t.bids[i];
    const ask = t.asks[i];
    if (bid !== undefined) parts.push(`${bid[0]}:${bid[1]}`);
    if (ask !== undefined) parts.push(`${ask[0]}:${askSign}${ask[1]}`);
  }
  return parts.join(':');
};
export const referenceOkxChecksum = (b: ReferenceBook): number => crc32(interleavedText(b, '')) | 0;
export const referenceBitfinexChecksum = (b: ReferenceBook): number => crc32(interleavedText(b, '-')) | 0;

// ── Streams per exchange ───────────────────────────────────────────────────────────────────
export interface Stream {
  readonly events: BookEvent[];
  /** The index in `events` of the snapshot; the updates after it are checked by the rules. */
  readonly snapshotAt: number;
  /** The true book at the end. */
  readonly truth: ReferenceBook;
  /** Levels the book keeps (what is compared): all, or the subscribed depth. */
  readonly depth: number | undefined;
}

/** Where the client joins: the REST snapshot is taken after message `j`; the socket was opened before message `s` ≤ j + 1; the snapshot's answer arrives after message `r` ≥ j. */
export interface Join { readonly s: number; readonly j: number; readonly r: number }
export const joinArb = (n: number): fc.Arbitrary<Join> =>
  fc.integer({ min: 0, max: n }).chain((j) => fc.tuple(fc.integer({ min: 0, max: j }), fc.integer({ min: j, max: n })).map(([s, r]) => ({ s, j, r })));

/** Binance: each message covers update ids U..u (one or more events); the REST snapshot carries lastUpdateId. */
export const binanceStream = (messages: readonly Message[], join: Join, idsPerMessage: readonly number[]): Stream => {
  const states = trueStates(messages);
  const last: number[] = [1000];
  for (let i = 0; i < messages.length; i++) last.push(last[i]! + (idsPerMessage[i % idsPerMessage.length] ?? 1));
  const update = (i: number): BookEvent => upd(updateOf('binance', messages[i]!, i + 1, { firstSequence: last[i]! + 1, sequence: last[i + 1]! }));
  const events: BookEvent[] = [];
  for (let i = join.s; i < join.r; i++) events.push(update(i));
  const snapshotAt = events.length;
  events.push(snap(snapshotOf('binance', states[join.j]!, join.j, { sequence: last[join.j]! })));
  for (let i = join.r; i < messages.length; i++) events.push(update(i));
  return { events, snapshotAt, truth: states[messages.length]!, depth: undefined };
};

/** Bitstamp: the same dance, ordered by microtimestamp (REST order_book carries one too). */
export const bitstampStream = (messages: readonly Message[], join: Join): Stream => {
  const states = trueStates(messages);
  const micros = (i: number): number => (T0 + i) * 1000 + (i % 7);
  const update = (i: number): BookEvent => upd(updateOf('bitstamp', messages[i]!, i + 1, { sequence: micros(i + 1) }));
  const events: BookEvent[] = [];
  for (let i = join.s; i < join.r; i++) events.push(update(i));
  const snapshotAt = events.length;
  events.push(snap(snapshotOf('bitstamp', states[join.j]!, join.j, { sequence: micros(join.j) })));
  for (let i = join.r; i < messages.length; i++) events.push(update(i));
  return { events, snapshotAt, truth: states[messages.length]!, depth: undefined };
};

/** OKX: snapshot after message j (seqId), then each update chains prevSeqId → seqId, with the CRC of the top 25; `idle` marks messages followed by a no-change message (seqId repeated). */
export const okxStream = (messages: readonly Message[], j: number, idle: readonly boolean[]): Stream => {
  const states = trueStates(messages);
  const seq = (i: number): number => 5000 + 3 * i;
  const events: BookEvent[] = [snap(snapshotOf('okx', states[j]!, j, { sequence: seq(j), checksum: referenceOkxChecksum(states[j]!) }))];
  for (let i = j; i < messages.length; i++) {
    events.push(upd(updateOf('okx', messages[i]!, i + 1, { prevSequence: seq(i), sequence: seq(i + 1), checksum: referenceOkxChecksum(states[i + 1]!) })));
    if (idle[i % idle.length] === true) {
      events.push(upd(updateOf('okx', [], i + 1, { prevSequence: seq(i + 1), sequence: seq(i + 1), checksum: referenceOkxChecksum(states[i + 1]!) })));
    }
  }
  return { events, snapshotAt: 0, truth: states[messages.length]!, depth: undefined };
};

/** Bybit: snapshot (u), deltas u+1, u+2...; at message `restartAt` the service restarts: a delta with u = 1 holding the whole book. */
export const bybitStream = (messages: readonly Message[], j: number, restartAt: number | undefined): Stream => {
  const states = trueStates(messages);
  const events: BookEvent[] = [snap(snapshotOf('bybit', states[j]!, j, { sequence: 700 + j }))];
  let u = 700 + j;
  for (let i = j; i < messages.length; i++) {
    if (i === restartAt) {
      u = 1;
      const whole = snapshotOf('bybit', states[i + 1]!, i + 1);
      events.push(upd({ ...whole, sequence: 1 }));
    } else {
      u += 1;
      events.push(upd(updateOf('bybit', messages[i]!, i + 1, { sequence: u, crossSequence: 90_000 + i })));
    }
  }
  return { events, snapshotAt: 0, truth: states[messages.length]!, depth: undefined };
};

/** Coinbase: a snapshot then updates, sequence_num rising with gaps (it counts the whole connection). */
export const coinbaseStream = (messages: readonly Message[], j: number): Stream => {
  const states = trueStates(messages);
  const seq = (i: number): number => 40 + i * 5;
  const events: BookEvent[] = [snap(snapshotOf('coinbase', states[j]!, j, { sequence: seq(j) }))];
  for (let i = j; i < messages.length; i++) events.push(upd(updateOf('coinbase', messages[i]!, i + 1, { sequence: seq(i + 1) })));
  return { events, snapshotAt: 0, truth: states[messages.length]!, depth: undefined };
};

/** Gemini: the first l2_updates is the whole book, then changes, nothing numbered. */
export const geminiStream = (messages: readonly Message[], j: number): Stream => {
  const states = trueStates(messages);
  const events: BookEvent[] = [snap(snapshotOf('gemini', states[j]!, j))];
  for (let i = j; i < messages.length; i++) events.push(upd(updateOf('gemini', messages[i]!, i + 1)));
  return { events, snapshotAt: 0, truth: states[messages.length]!, depth: undefined };
};

/** What a depth-limited subscriber is sent for a change of the true book: levels entering or changing in its view, and removals of levels in its view; nothing for levels pushed out of it. */
const viewDiff = (before: ReferenceBook, after: ReferenceBook, depth: number): Message => {
  const out: Change[] = [];
  for (const side of ['bids', 'asks'] as const) {
    const was = new Map(before.top(depth)[side]);
    const now = new Map(after.top(depth)[side]);
    const all = new Map(after.top(Number.MAX_SAFE_INTEGER)[side]);
    for (const [p, q] of now) if (was.get(p) !== q) out.push([side, p, q]);
    for (const p of was.keys()) if (!now.has(p) && !all.has(p)) out.push([side, p, '0']);
  }
  return out;
};

/** Kraken v2 (depth 10): snapshot of the top 10 with its checksum, then view changes each with the CRC of the top 10. */
export const krakenStream = (messages: readonly Message[], j: number, depth = 10): Stream => {
  const states = trueStates(messages);
  const view = (b: ReferenceBook): ReferenceBook => {
    const v = b.clone();
    v.truncate(depth);
    return v;
  };
  const events: BookEvent[] = [snap(snapshotOf('kraken', view(states[j]!), j, { checksum: referenceKrakenChecksum(states[j]!) }))];
  for (let i = j; i < messages.length; i++) {
    const diff = viewDiff(states[i]!, states[i + 1]!, depth);
    if (diff.length > 0) events.push(upd(updateOf('kraken', diff, i + 1, { checksum: referenceKrakenChecksum(states[i + 1]!) })));
  }
  return { events, snapshotAt: 0, truth: view(states[messages.length]!), depth };
};

/** Bitfinex P0 (len 25): snapshot, view changes, and after each a checksum message (an update with no levels). */
export const bitfinexStream = (messages: readonly Message[], j: number, depth = 25): Stream => {
  const states = trueStates(messages);
  const view = (b: ReferenceBook): ReferenceBook => {
    const v = b.clone();
    v.truncate(depth);
    return v;
  };
  const events: BookEvent[] = [snap(snapshotOf('bitfinex', view(states[j]!), j))];
  for (let i = j; i < messages.length; i++) {
    const diff = viewDiff(states[i]!, states[i + 1]!, depth);
    if (diff.length > 0) events.push(upd(updateOf('bitfinex', diff, i + 1)));
    events.push(upd(updateOf('bitfinex', [], i + 1, { checksum: referenceBitfinexChecksum(states[i + 1]!) })));
  }
  return { events, snapshotAt: 0, truth: view(states[messages.length]!), depth };
};
