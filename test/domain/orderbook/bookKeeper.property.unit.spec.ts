/**
 * Book keeping per exchange: any order of snapshot and updates that the exchange's rules allow
 * gives the exchange's book (the true book of test/support/bookStreams.ts); a checksum that does
 * not match always resyncs; a lost update of a sequenced feed always resyncs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookUpdateData } from '../../../src/domain/orderbook/bookEvents.js';
import { BookKeeper, type BookEvent, type BookOutcome } from '../../../src/domain/orderbook/bookKeeper.js';
import { BOOK_RULES, type BookRules } from '../../../src/domain/orderbook/bookRules.js';
import {
  binanceStream,
  bitfinexStream,
  bitstampStream,
  bybitStream,
  coinbaseStream,
  geminiStream,
  joinArb,
  krakenStream,
  messagesArb,
  okxStream,
  type Stream,
} from '../../support/bookStreams.js';

const feed = (rules: BookRules, events: readonly BookEvent[]): { keeper: BookKeeper; outcomes: BookOutcome[] } => {
  const keeper = new BookKeeper(rules, 'BTC-USDT');
  return { keeper, outcomes: events.map((e) => keeper.apply(e)) };
};

const expectTrueBook = (rules: BookRules, stream: Stream): void => {
  const { keeper, outcomes } = feed(rules, stream.events);
  expect(outcomes.filter((o) => o.kind === 'resync')).toEqual([]);
  expect(keeper.isSynced).toBe(true);
  const all = Number.MAX_SAFE_INTEGER;
  expect(keeper.book.top(all)).toEqual(stream.truth.top(all));
};

/** Streams with a choice of where the client joins, per exchange. */
const streams: Record<string, { rules: () => BookRules; arb: fc.Arbitrary<Stream> }> = {
  binance: {
    rules: BOOK_RULES.binance,
    arb: messagesArb().chain((ms) => fc.tuple(joinArb(ms.length), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 5 })).map(([join, ids]) => binanceStream(ms, join, ids))),
  },
  bitstamp: { rules: BOOK_RULES.bitstamp, arb: messagesArb().chain((ms) => joinArb(ms.length).map((join) => bitstampStream(ms, join))) },
  okx: {
    rules: BOOK_RULES.okx,
    arb: messagesArb().chain((ms) => fc.tuple(fc.integer({ min: 0, max: ms.length }), fc.array(fc.boolean(), { minLength: 1, maxLength: 5 })).map(([j, idle]) => okxStream(ms, j, idle))),
  },
  bybit: {
    rules: BOOK_RULES.bybit,
    arb: messagesArb().chain((ms) => fc.tuple(fc.integer({ min: 0, max: ms.length }), fc.option(fc.nat(ms.length), { nil: undefined })).map(([j, restart]) => bybitStream(ms, j, restart))),
  },
  coinbase: { rules: BOOK_RULES.coinbase, arb: messagesArb().chain((ms) => fc.integer({ min: 0, max: ms.length }).map((j) => coinbaseStream(ms, j))) },
  gemini: { rules: BOOK_RULES.gemini, arb: messagesArb().chain((ms) => fc.integer({ min: 0, max: ms.length }).map((j) => geminiStream(ms, j))) },
  kraken: { rules: () => BOOK_RULES.kraken(10), arb: messagesArb(60).chain((ms) => fc.integer({ min: 0, max: ms.length }).map((j) => krakenStream(ms, j))) },
  // Long enough streams that levels do fall out of the 25-level view.
  bitfinex: { rules: () => BOOK_RULES.bitfinex(25), arb: messagesArb(80).chain((ms) => fc.integer({ min: 0, max: ms.length }).map((j) => bitfinexStream(ms, j, 25))) },
};

describe('book keeping: the exchange\'s procedure gives the exchange\'s book', () => {
  for (const [exchange, { rules, arb }] of Object.entries(streams)) {
    it(exchange, () => {
      fc.assert(fc.property(arb, (stream) => expectTrueBook(rules(), stream)), { numRuns: 150 });
    });
  }
});

const withChecksum = (e: BookEvent): boolean => e.data.checksum !== undefined;

describe('a checksum that does not match always resyncs, and the book waits for a new snapshot', () => {
  for (const exchange of ['okx', 'kraken', 'bitfinex'] as const) {
    it(exchange, () => {
      const { rules, arb } = streams[exchange]!;
      fc.assert(fc.property(arb, fc.nat(), fc.integer({ min: 1, max: 0xffff }), (stream, pick, flip) => {
        const checked = stream.events.map((e, i) => [e, i] as const).filter(([e]) => withChecksum(e));
        fc.pre(checked.length > 0);
        const at = checked[pick % checked.length]![1];
        const events = stream.events.map((e, i) => (i === at ? ({ ...e, data: { ...e.data, checksum: (e.data.checksum! ^ flip) | 0 } } as BookEvent) : e));
        const { keeper, outcomes } = feed(rules(), events.slice(0, at + 1));
        const last = outcomes[at]!;
        expect(last.kind).toBe('resync');
        if (last.kind === 'resync') expect(last.record.reason).toBe('checksum');
        expect(keeper.isSynced).toBe(false);
        expect(keeper.book.top(1)).toEqual({ bids: [], asks: [] });
      }), { numRuns: 150 });
    });
  }
});

describe('a lost update of a sequenced feed always resyncs (reason gap)', () => {
  for (const exchange of ['binance', 'okx', 'bybit'] as const) {
    it(exchange, () => {
      const { rules, arb } = streams[exchange]!;
      fc.assert(fc.property(arb, fc.nat(), (stream, pick) => {
        // An update after the snapshot that the book would apply (not stale, not Bybit's restart).
        const keeper = new BookKeeper(rules(), 'BTC-USDT');
        const applied: number[] = [];
        stream.events.forEach((e, i) => {
          const o = keeper.apply(e);
          const u = e.data as BookUpdateData;
          if (i > stream.snapshotAt && o.kind === 'applied' && u.sequence !== 1 && !(u.prevSequence !== undefined && u.prevSequence === u.sequence)) applied.push(i);
        });
        // Losing the last one leaves nothing after it to notice; any earlier one is noticed by the next.
        fc.pre(applied.length > 1);
        const lost = applied[pick % (applied.length - 1)]!;
        // Bybit: a restart (u = 1) right after the lost update replaces the whole book, so nothing is missing.
        const next = stream.events[lost + 1];
        fc.pre(next !== undefined && !(next.kind === 'bookUpdate' && next.data.sequence === 1));
        const { outcomes } = feed(rules(), stream.events.filter((_, i) => i !== lost));
        const resyncs = outcomes.filter((o) => o.kind === 'resync');
        expect(resyncs.length).toBeGreaterThan(0);
        expect(resyncs[0]!.kind === 'resync' && resyncs[0]!.record.reason).toBe('gap');
      }), { numRuns: 150 });
    });
  }
});

describe('the keeper holds updates until a snapshot, within a bound', () => {
  it('past maxHeld updates it asks for a resync (overflow) instead of holding more', () => {
    const keeper = new BookKeeper(BOOK_RULES.binance(), 'BTC-USDT', 3);
    const u = (n: number): BookEvent => ({ kind: 'bookUpdate', data: { exchange: 'binance', symbol: 'BTC-USDT', bids: [['1', '1']], asks: [], eventTime: Date.UTC(2024, 0, 1), firstSequence: n, sequence: n } });
    expect([1, 2, 3].map((n) => keeper.apply(u(n)).kind)).toEqual(['held', 'held', 'held']);
    const r = keeper.apply(u(4));
    expect(r.kind === 'resync' && r.record.reason).toBe('overflow');
    expect(keeper.heldCount).toBe(0);
  });

  it('a disconnect of a synced book is a resync record; of one not synced, nothing', () => {
    const keeper = new BookKeeper(BOOK_RULES.gemini(), 'BTC-USDT');
    expect(keeper.disconnected(Date.UTC(2024, 0, 1))).toBeUndefined();
    keeper.apply({ kind: 'bookSnapshot', data: { exchange: 'gemini', symbol: 'BTC-USDT', bids: [['1', '1']], asks: [['2', '1']], eventTime: Date.UTC(2024, 0, 1) } });
    expect(keeper.disconnected(Date.UTC(2024, 0, 1))?.reason).toBe('disconnect');
    expect(keeper.isSynced).toBe(false);
  });
});
