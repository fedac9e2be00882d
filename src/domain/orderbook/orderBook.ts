/**
 * An order book for one exchange and symbol: bids and asks (bookSide.ts), replaced by a snapshot,
 * changed by an update's levels, read as best bid/ask and top N. It holds no rule of any exchange:
 * validation is bookKeeper.ts with the exchange's bookRules.ts.
 */
import type { BookLevel } from './bookEvents.js';
import { BookSide, type Level } from './bookSide.js';

export interface TopOfBook {
  readonly bids: ReadonlyArray<[string, string]>;
  readonly asks: ReadonlyArray<[string, string]>;
}

export class OrderBook {
  readonly bids = new BookSide('bids');
  readonly asks = new BookSide('asks');

  constructor(
    readonly exchange: string,
    readonly symbol: string,
    /** Levels kept per side after each change (an exchange that drops levels past its depth silently); none: all. */
    readonly depth: number | undefined = undefined,
  ) {}

  /** Replaces the whole book. */
  replace(bids: readonly BookLevel[], asks: readonly BookLevel[]): void {
    this.bids.clear();
    this.asks.clear();
    this.change(bids, asks);
  }

  /** Applies changed levels in the order given (a later change of the same price wins). */
  change(bids: readonly BookLevel[], asks: readonly BookLevel[]): void {
    for (let i = 0; i < bids.length; i++) this.bids.set(bids[i]![0], bids[i]![1]);
    for (let i = 0; i < asks.length; i++) this.asks.set(asks[i]![0], asks[i]![1]);
    if (this.depth !== undefined) {
      this.bids.truncate(this.depth);
      this.asks.truncate(this.depth);
    }
  }

  clear(): void {
    this.bids.clear();
    this.asks.clear();
  }

  bestBid(): Level | undefined {
    return this.bids.best();
  }

  bestAsk(): Level | undefined {
    return this.asks.best();
  }

  /** The `n` best levels of each side, best first. */
  top(n: number): TopOfBook {
    return { bids: this.bids.top(n), asks: this.asks.top(n) };
  }
}
