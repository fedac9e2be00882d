/**
 * Book imbalance per minute for the order-flow bars, kept live beside the book views: every row
 * the archive accepts is an observation of its book's touch imbalance just after it
 * (domain/orderflow/bookImbalance.ts). Held in memory for the last `retainMinutes` minutes of each
 * book; rows restored from the journal on a restart are not observed, so the minutes before a
 * restart have no imbalance (null) rather than one made up.
 */
import { bookKey } from '../../domain/orderbook/archive/bookRow.js';
import { BookImbalanceMinutes, sumMinutes, touchImbalanceOf, type ImbalanceMinute } from '../../domain/orderflow/bookImbalance.js';
import type { BookArchive } from './bookArchive.js';

export interface BookImbalanceReader {
  /** Minutes in [from, to) of `symbol`'s books: one exchange's, or every exchange's summed (weighted by observed time). */
  imbalance(symbol: string, exchange: string | undefined, from: number, to: number): ImbalanceMinute[];
}

export const watchBookImbalance = (archive: Pick<BookArchive, 'onRow'>, retainMinutes: number): BookImbalanceReader => {
  const books = new Map<string, { readonly exchange: string; readonly symbol: string; readonly minutes: BookImbalanceMinutes }>();
  archive.onRow((row, book) => {
    const { exchange, symbol, eventTime } = row.data;
    const key = bookKey(exchange, symbol);
    let b = books.get(key);
    if (b === undefined) books.set(key, (b = { exchange, symbol, minutes: new BookImbalanceMinutes(retainMinutes) }));
    b.minutes.observe(eventTime, touchImbalanceOf(book.levels));
  });
  return {
    imbalance: (symbol, exchange, from, to) =>
      sumMinutes([...books.values()].filter((b) => b.symbol === symbol && (exchange === undefined || b.exchange === exchange)).flatMap((b) => b.minutes.minutes(from, to))),
  };
};
