/**
 * A book as price levels and nothing else: what the lake archive folds its own rows with, so that
 * the snapshots it writes and a replay of the lake rebuild the same book from the same rows. A
 * level's quantity is absolute (every exchange's level-2 feed sends it so), "0" removes the level.
 * Prices and quantities stay the exchange's decimal strings; parsing happens when a view is asked.
 */
import { formatFixed, parseFixed } from '../../decimal.js';
import { InvalidInputError } from '../../errors.js';
import type { BookSides, Level } from './bookView.js';

/** A side of the book: the exchange's price string → its quantity string. */
export type PriceLevels = Map<string, string>;

export interface LevelBook {
  readonly bids: PriceLevels;
  readonly asks: PriceLevels;
}

/** A change or a whole side, as the canonical book events carry them: [price, quantity]. */
export type LevelChange = readonly [price: string, quantity: string];

export const emptyLevelBook = (): LevelBook => ({ bids: new Map(), asks: new Map() });

const isZero = (quantity: string): boolean => !/[1-9]/.test(quantity);

/** One key per price value: "100.50" and "100.5" are one level (Kraken pads, Binance does not). */
const priceKey = (price: string): string => {
  const fixed = parseFixed(price);
  if (fixed === undefined) throw new InvalidInputError(`book level price ${JSON.stringify(price)}: expected a decimal string like "123.45"`);
  return formatFixed(fixed);
};

/** Sets each level's quantity, removing those set to zero. */
export const applyChanges = (side: PriceLevels, changes: readonly LevelChange[]): void => {
  for (const [price, quantity] of changes) {
    const key = priceKey(price);
    if (isZero(quantity)) side.delete(key);
    else side.set(key, quantity);
  }
};

/** Replaces the whole book: a snapshot. */
export const resetLevels = (book: LevelBook, bids: readonly LevelChange[], asks: readonly LevelChange[]): void => {
  book.bids.clear();
  book.asks.clear();
  applyChanges(book.bids, bids);
  applyChanges(book.asks, asks);
};

const parsed = (side: PriceLevels, descending: boolean): Level[] => {
  const levels = Array.from(side, ([price, quantity]) => ({ price: Number(price), quantity: Number(quantity) }));
  return levels.sort((a, b) => (descending ? b.price - a.price : a.price - b.price));
};

/** The book's sides sorted best first, parsed for the views. */
export const sidesOf = (book: LevelBook): BookSides => ({ bids: parsed(book.bids, true), asks: parsed(book.asks, false) });

/** The book's levels as [price, quantity] strings, best first: what a snapshot row carries. */
export const levelsOf = (book: LevelBook): { bids: LevelChange[]; asks: LevelChange[] } => {
  const sorted = (side: PriceLevels, descending: boolean): LevelChange[] =>
    Array.from(side).sort((a, b) => (descending ? Number(b[0]) - Number(a[0]) : Number(a[0]) - Number(b[0])));
  return { bids: sorted(book.bids, true), asks: sorted(book.asks, false) };
};
