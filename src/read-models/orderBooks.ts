/**
 * The order-book answer: for one symbol, each exchange's book (its top `depth` levels and its
 * view: best bid and ask, spread, depth bands, imbalance) and the consolidated book across them
 * (levels merged by price; `crossed` when one exchange bids above another's ask). The same answer
 * serves the live book (GET without `at`, the WebSocket) and a replay of the lake (GET with `at`).
 */
import { bookView, topOfBook, type BookView } from '../domain/orderbook/views/bookView.js';
import { consolidate } from '../domain/orderbook/views/consolidate.js';
import { arbitrageOpportunities, type ArbitrageOpportunity } from '../domain/orderbook/views/arbitrage.js';
import { sidesOf } from '../domain/orderbook/views/bookSides.js';
import type { OrderBook } from '../domain/orderbook/orderBook.js';
import type { BookSides } from '../domain/orderbook/views/bookView.js';

/** One exchange's book as some source holds it: the live archive's, or one rebuilt from the lake. */
export interface HeldBook {
  readonly exchange: string;
  readonly symbol: string;
  readonly book: OrderBook;
  /** Event time and exchange sequence of the last row folded into it. */
  readonly eventTime: number;
  readonly sequence: number | undefined;
}

export interface ExchangeBookAnswer {
  readonly exchange: string;
  readonly eventTime: number;
  readonly sequence: number | null;
  readonly bids: Array<[string, string]>;
  readonly asks: Array<[string, string]>;
  readonly view: BookView;
}

export interface ConsolidatedBookAnswer {
  readonly exchanges: string[];
  readonly bids: Array<[number, number]>;
  readonly asks: Array<[number, number]>;
  readonly view: BookView;
  /** Some exchange's best bid is at or above another's best ask. */
  readonly crossed: boolean;
  /** Pairs of exchanges where buying on one and selling on the other earns more than `feeBps` a leg. */
  readonly arbitrage: ArbitrageOpportunity[];
}

export interface OrderBookAnswer {
  readonly symbol: string;
  readonly depth: number;
  readonly exchanges: ExchangeBookAnswer[];
  /** Null when no exchange has a book of the symbol. */
  readonly consolidated: ConsolidatedBookAnswer | null;
}

const levelPairs = (sides: BookSides, depth: number): { bids: Array<[number, number]>; asks: Array<[number, number]> } => {
  const top = topOfBook(sides, depth);
  return { bids: top.bids.map((l) => [l.price, l.quantity]), asks: top.asks.map((l) => [l.price, l.quantity]) };
};

/** Taker fee per leg (bps) the arbitrage view deducts: a typical top-tier spot taker fee. */
export const ARBITRAGE_FEE_BPS = 10;

export const orderBookAnswer = (symbol: string, books: readonly HeldBook[], depth: number): OrderBookAnswer => {
  const held = books.filter((b) => b.symbol === symbol).sort((a, b) => a.exchange.localeCompare(b.exchange));
  const sides = held.map((b) => sidesOf(b.book));
  const exchanges = held.map((b, i) => {
    const top = b.book.top(depth);
    return { exchange: b.exchange, eventTime: b.eventTime, sequence: b.sequence ?? null, bids: top.bids.slice(), asks: top.asks.slice(), view: bookView(sides[i]!) };
  });
  if (held.length === 0) return { symbol, depth, exchanges, consolidated: null };
  const merged = consolidate(sides);
  const view = bookView(merged);
  return {
    symbol,
    depth,
    exchanges,
    consolidated: {
      exchanges: held.map((b) => b.exchange),
      ...levelPairs(merged, depth),
      view,
      crossed: view.spread !== null && view.spread <= 0,
      arbitrage: arbitrageOpportunities(
        exchanges.map((x) => ({ exchange: x.exchange, bestBid: x.view.bestBid, bestAsk: x.view.bestAsk })),
        ARBITRAGE_FEE_BPS,
      ),
    },
  };
};
