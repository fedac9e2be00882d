/**
 * The consolidated book of one symbol across exchanges: every exchange's levels merged by price,
 * quantities at the same price added. It may be crossed (one exchange's best bid above another's
 * best ask): that is the cross-exchange divergence the arbitrage view looks for, not an error.
 */
import type { BookSides, Level } from './bookView.js';

/** Merges sides sorted best first into one sorted best first, equal prices added. */
const mergeSide = (sides: ReadonlyArray<readonly Level[]>, better: (a: number, b: number) => number): Level[] => {
  const all = sides.flat().slice().sort((a, b) => better(a.price, b.price));
  const out: Level[] = [];
  for (const l of all) {
    const last = out[out.length - 1];
    if (last !== undefined && last.price === l.price) out[out.length - 1] = { price: l.price, quantity: last.quantity + l.quantity };
    else out.push(l);
  }
  return out;
};

export const consolidate = (books: readonly BookSides[]): BookSides => ({
  bids: mergeSide(
    books.map((b) => b.bids),
    (a, b) => b - a,
  ),
  asks: mergeSide(
    books.map((b) => b.asks),
    (a, b) => a - b,
  ),
});
