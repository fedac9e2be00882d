/**
 * The archive's plain book: the last change of each price wins whatever came before it, zero
 * removes, a snapshot replaces everything, and one price written two ways is one level.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyChanges, emptyLevelBook, levelsOf, resetLevels, sidesOf, type LevelChange } from '../../../../src/domain/orderbook/views/levelBook.js';

const price = fc.integer({ min: 1, max: 60 }).map((t) => (t / 4).toFixed(2));
const quantity = fc.oneof(fc.constant('0'), fc.constant('0.000'), fc.integer({ min: 1, max: 10_000 }).map((q) => (q / 100).toString()));
const changes = fc.array(fc.tuple(price, quantity) as fc.Arbitrary<LevelChange>, { maxLength: 60 });

/** The expected side: for each price value, its last change, zeros removed. */
const lastWins = (cs: readonly LevelChange[]): Map<number, number> => {
  const m = new Map<number, number>();
  for (const [p, q] of cs) m.set(Number(p), Number(q));
  return new Map([...m].filter(([, q]) => q !== 0));
};

describe('levelBook', () => {
  it('applying changes leaves, per price, the last quantity set, zeros removed, sorted best first', () => {
    fc.assert(
      fc.property(changes, changes, (bids, asks) => {
        const book = emptyLevelBook();
        applyChanges(book.bids, bids);
        applyChanges(book.asks, asks);
        const sides = sidesOf(book);
        expect(new Map(sides.bids.map((l) => [l.price, l.quantity]))).toEqual(lastWins(bids));
        expect(new Map(sides.asks.map((l) => [l.price, l.quantity]))).toEqual(lastWins(asks));
        expect(sides.bids.map((l) => l.price)).toEqual([...lastWins(bids).keys()].sort((a, b) => b - a));
        expect(sides.asks.map((l) => l.price)).toEqual([...lastWins(asks).keys()].sort((a, b) => a - b));
      }),
    );
  });

  it('a snapshot replaces whatever was there, and its own levels round-trip', () => {
    fc.assert(
      fc.property(changes, changes, changes, (before, bids, asks) => {
        const book = emptyLevelBook();
        applyChanges(book.bids, before);
        applyChanges(book.asks, before);
        resetLevels(book, bids, asks);
        const fresh = emptyLevelBook();
        applyChanges(fresh.bids, bids);
        applyChanges(fresh.asks, asks);
        expect(levelsOf(book)).toEqual(levelsOf(fresh));
        const again = emptyLevelBook();
        resetLevels(again, levelsOf(book).bids, levelsOf(book).asks);
        expect(levelsOf(again)).toEqual(levelsOf(book));
      }),
    );
  });

  it('one price written two ways is one level, and a malformed price is refused with its text', () => {
    const book = emptyLevelBook();
    applyChanges(book.bids, [
      ['100.50', '1'],
      ['100.5', '2'],
    ]);
    expect(levelsOf(book).bids).toEqual([['100.5', '2']]);
    expect(() => applyChanges(book.bids, [['1e5', '1']])).toThrow(/"1e5": expected a decimal string/);
  });
});
