/**
 * Book imbalance per minute for the order-flow bars, kept live beside the book views: every row
 * the archive accepts is an observation of its book's touch imbalance just after it
 * (domain/orderflow/bookImbalance.ts). Held in memory for the last `retainMinutes` minutes of each
 * book; rows restored from the journal on a restart are not observed, so each book's minutes are
 * whole only from the minute after its first observation (`wholeFrom`): earlier ones are read
 * from the lake (read-models/lakeImbalance.ts).
 */
import { bookKey } from '../../domain/orderbook/archive/bookRow.js';
import { BookImbalanceMinutes, touchImbalanceOf, type ImbalanceMinute } from '../../domain/orderflow/bookImbalance.js';
import type { BookArchive } from './bookArchive.js';

/** One book's live minutes. */
export interface LiveImbalance {
  readonly exchange: string;
  /** Whole minutes from this one on (undefined: none yet). */
  readonly wholeFrom: number | undefined;
  minutes(from: number, to: number): ImbalanceMinute[];
}

export interface BookImbalanceWatch {
  /** The live minutes of `symbol`'s books (one exchange's when named). */
  books(symbol: string, exchange: string | undefined): LiveImbalance[];
}

export const watchBookImbalance = (archive: Pick<BookArchive, 'onRow'>, retainMinutes: number): BookImbalanceWatch => {
  const books = new Map<string, { readonly exchange: string; readonly symbol: string; readonly minutes: BookImbalanceMinutes }>();
  archive.onRow((row, book) => {
    const { exchange, symbol, eventTime } = row.data;
    const key = bookKey(exchange, symbol);
    let b = books.get(key);
    if (b === undefined) books.set(key, (b = { exchange, symbol, minutes: new BookImbalanceMinutes(retainMinutes) }));
    b.minutes.observe(eventTime, touchImbalanceOf(book.levels));
  });
  return {
    books: (symbol, exchange) =>
      [...books.values()]
        .filter((b) => b.symbol === symbol && (exchange === undefined || b.exchange === exchange))
        .map((b) => ({ exchange: b.exchange, wholeFrom: b.minutes.wholeFrom(), minutes: (from, to) => b.minutes.minutes(from, to) })),
  };
};
