/** A kept order book's levels, parsed for the views (bookView.ts): best first, prices and quantities as numbers. */
import type { OrderBook } from '../orderBook.js';
import type { BookSides, Level } from './bookView.js';

const parsed = (levels: ReadonlyArray<readonly [string, string]>): Level[] => levels.map(([p, q]) => ({ price: Number(p), quantity: Number(q) }));

export const sidesOf = (book: OrderBook): BookSides => ({ bids: parsed(book.bids.top(book.bids.size)), asks: parsed(book.asks.top(book.asks.size)) });
