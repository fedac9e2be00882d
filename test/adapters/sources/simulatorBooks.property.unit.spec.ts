/**
 * The simulator's order books (`books: true`), held against a naive reference book replayed from
 * the tape: every trade happens at the touch (the best level of the side it hits is its price and
 * holds its quantity, which is then gone from it), books are numbered without a gap and never
 * crossed, the tape stays in event-time order, books do not change the trades, and every injected
 * spoofing episode is in the books as its ground truth says.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SpoofingEpisodeInjected } from '../../../src/adapters/sources/simulator/marketEvents.js';
import { createSimulatorSource, type SimulatorOptions } from '../../../src/adapters/sources/simulator/simulatorSource.js';
import { parseFixed } from '../../../src/domain/decimal.js';
import { validateEventData } from '../../../src/domain/events/catalogue.js';
import { BookSnapshotData, BookUpdateData } from '../../../src/domain/orderbook/bookEvents.js';
import type { SourceItem } from '../../../src/domain/ports.js';
import { ReferenceBook } from '../../support/referenceBook.js';

const tape = async (options: SimulatorOptions): Promise<{ items: SourceItem[]; injected: readonly SpoofingEpisodeInjected[] }> => {
  const source = createSimulatorSource(options);
  const items: SourceItem[] = [];
  await source.run(async (b) => {
    items.push(...b.items);
  }, new AbortController().signal);
  return { items, injected: source.injectedEvents().filter((e): e is SpoofingEpisodeInjected => e.kind === 'spoofing') };
};

const options = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  symbols: fc.integer({ min: 1, max: 4 }),
  exchanges: fc.constantFrom(['binance'], ['binance', 'okx'], ['kraken', 'okx', 'bybit']),
  tradesPerSecond: fc.integer({ min: 5, max: 50 }),
  maxTrades: fc.integer({ min: 1, max: 1_500 }),
  batchSize: fc.integer({ min: 1, max: 400 }),
});

const keyOf = (d: { exchange: string; symbol: string }): string => `${d.exchange}/${d.symbol}`;
const eventTimeOf = (i: SourceItem): number => (i.kind === 'rejected' ? Number.NaN : (i.data as { eventTime: number }).eventTime);

describe('simulated order books', () => {
  it('every trade is at the touch: the hit side’s best level is the trade’s price, holds its quantity, and loses exactly that', async () => {
    await fc.assert(
      fc.asyncProperty(options, async (o) => {
        const { items } = await tape({ ...o, books: true, spoofingPerHour: 200 });
        const books = new Map<string, ReferenceBook>();
        for (let k = 0; k < items.length; k++) {
          const item = items[k]!;
          if (item.kind === 'rejected') throw new Error(item.reason);
          if (item.kind === 'bookSnapshot' || item.kind === 'bookUpdate') {
            let b = books.get(keyOf(item.data));
            if (item.kind === 'bookSnapshot') books.set(keyOf(item.data), (b = new ReferenceBook()));
            if (b === undefined) throw new Error(`an update before the snapshot of ${keyOf(item.data)}`);
            for (const side of ['bids', 'asks'] as const) for (const [p, q] of item.data[side]) b.set(side, p, q);
            continue;
          }
          if (item.kind !== 'trade') throw new Error(`unexpected ${item.kind}`);
          const trade = item.data as { exchange: string; symbol: string; price: string; quantity: string; side: 'buy' | 'sell' };
          const b = books.get(keyOf(trade));
          expect(b, `no book before a trade of ${keyOf(trade)}`).toBeDefined();
          const hit = trade.side === 'buy' ? 'asks' : 'bids';
          const touch = b!.sorted(hit)[0]!;
          expect(touch.price).toBe(trade.price);
          expect(parseFixed(touch.qty)! >= parseFixed(trade.quantity)!).toBe(true);
          // The update right after the trade takes its quantity from that level.
          const next = items[k + 1];
          if (next?.kind !== 'bookUpdate') throw new Error(`a trade not followed by its book update: ${JSON.stringify(next)}`);
          const after = next.data[hit].find(([p]) => p === trade.price);
          expect(after, 'the traded level changes in the next update').toBeDefined();
          expect(parseFixed(after![1])).toBe(parseFixed(touch.qty)! - parseFixed(trade.quantity)!);
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('each book is a snapshot numbered 1 then updates each numbered the previous + 1, valid events, never crossed, the tape in event-time order', async () => {
    await fc.assert(
      fc.asyncProperty(options, async (o) => {
        const { items } = await tape({ ...o, books: true, spoofingPerHour: 200 });
        const last = new Map<string, number>();
        const books = new Map<string, ReferenceBook>();
        let time = 0;
        for (const item of items) {
          if (item.kind === 'rejected') throw new Error(item.reason);
          expect(eventTimeOf(item)).toBeGreaterThanOrEqual(time);
          time = eventTimeOf(item);
          if (item.kind === 'trade') {
            expect(validateEventData('TradeObserved', item.data).ok).toBe(true);
            continue;
          }
          if (item.kind !== 'bookSnapshot' && item.kind !== 'bookUpdate') throw new Error(`unexpected ${item.kind}`);
          const key = keyOf(item.data);
          if (item.kind === 'bookSnapshot') {
            expect(BookSnapshotData.is(item.data)).toBe(true);
            expect(last.has(key)).toBe(false);
            expect(item.data.sequence).toBe(1);
            books.set(key, new ReferenceBook());
          } else {
            expect(BookUpdateData.is(item.data)).toBe(true);
            expect(item.data.prevSequence).toBe(last.get(key));
            expect(item.data.sequence).toBe(last.get(key)! + 1);
          }
          last.set(key, item.data.sequence!);
          const b = books.get(key)!;
          for (const side of ['bids', 'asks'] as const) for (const [p, q] of item.data[side]) b.set(side, p, q);
          const [bid] = b.sorted('bids');
          const [ask] = b.sorted('asks');
          if (bid !== undefined && ask !== undefined) expect(parseFixed(bid.price)! < parseFixed(ask.price)!).toBe(true);
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('books leave the trade tape as it is: the same trades, in the same order, with books or without', async () => {
    await fc.assert(
      fc.asyncProperty(options, async (o) => {
        const without = (await tape(o)).items;
        const withBooks = (await tape({ ...o, books: true })).items.filter((i) => i.kind === 'trade');
        expect(withBooks).toEqual(without);
      }),
      { numRuns: 20 },
    );
  }, 120_000);

  it('every injected spoofing episode is in its book: large levels on its side appear and vanish within it, untraded', async () => {
    const { items, injected } = await tape({ seed: 7, symbols: 3, tradesPerSecond: 20, maxTrades: 20 * 900, books: true, spoofingPerHour: 60 });
    const end = eventTimeOf(items.at(-1)!);
    const complete = injected.filter((e) => e.endTime <= end);
    expect(complete.length).toBeGreaterThanOrEqual(5);
    for (const e of complete) {
      const updates = items.filter(
        (i): i is Extract<SourceItem, { kind: 'bookUpdate' }> =>
          i.kind === 'bookUpdate' && i.data.exchange === e.exchange && i.data.symbol === e.symbol && i.data.eventTime >= e.startTime && i.data.eventTime <= e.endTime,
      );
      // A placement is an update of one new level on the episode's side and nothing else.
      const placed = updates.filter((u) => u.data[e.side].length === 1 && u.data[e.side === 'bids' ? 'asks' : 'bids'].length === 0 && u.data[e.side][0]![1] !== '0');
      expect(placed.length, JSON.stringify(e)).toBeGreaterThanOrEqual(e.rounds);
      expect(placed[0]!.data.eventTime).toBe(e.startTime);
    }
  }, 120_000);
});
