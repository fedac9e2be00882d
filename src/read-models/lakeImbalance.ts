/**
 * Book imbalance per minute from the lake, for bars older than the minutes the live watch holds
 * (projections/orderbook/imbalanceWatch.ts) or in a process that holds no live book: the book's
 * rows from its last snapshot before the span through its end, read and checked against their
 * digests as a replay reads them (orderBookReplay.ts), are applied to a book and observed as the
 * live watch observes them: every row the exchange sent (not the archive's own snapshots, which
 * restate the book), with the book just after it (domain/orderflow/bookImbalance.ts). A minute
 * therefore has the imbalance the live path gave it. Only minutes the rows read hold whole are
 * answered: those the digested intervals (or this process's open ones) cover, and those ended
 * before `settledBefore`, by when an interval holding a later row of theirs would have been
 * closed and digested; a minute past both is left out (null) rather than answered from part of it.
 */
import { BOOK_RULES, isBookExchange } from '../domain/orderbook/bookRules.js';
import { OrderBook } from '../domain/orderbook/orderBook.js';
import { BookImbalanceMinutes, touchImbalanceOf, type ImbalanceMinute } from '../domain/orderflow/bookImbalance.js';
import { MINUTE_MS } from '../domain/time.js';
import { bookRowsBetween, type ReplayDeps } from './orderBookReplay.js';

/** One book's minutes in [from, to) (whole minutes), from the lake. */
export const lakeImbalanceMinutes = async (deps: ReplayDeps, exchange: string, symbol: string, from: number, to: number, settledBefore: number): Promise<ImbalanceMinute[]> => {
  if (from >= to) return [];
  const found = await bookRowsBetween(deps, exchange, symbol, from, to - 1);
  if (found === undefined || found.rows.length === 0) return [];
  const book = new OrderBook(exchange, symbol, isBookExchange(exchange) ? BOOK_RULES[exchange]().depth : undefined);
  const minutes = new BookImbalanceMinutes(Math.ceil((to - found.rows[0]!.data.eventTime) / MINUTE_MS) + 1);
  for (const r of found.rows) {
    if (r.kind === 'bookSnapshot') book.replace(r.data.bids, r.data.asks);
    else book.change(r.data.bids, r.data.asks);
    if (r.origin === 'exchange') minutes.observe(r.data.eventTime, touchImbalanceOf(book));
  }
  const wholeThrough = found.open.length > 0 ? to : Math.max(found.digestedThrough ?? from, settledBefore);
  return minutes.minutes(from, to).filter((m) => m.minute + MINUTE_MS <= wholeThrough);
};
