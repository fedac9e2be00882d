/**
 * The live view of one order book: best bid and ask, spread (absolute and in basis points of the
 * mid), depth within ±0.1 %, ±0.5 % and ±1 % of the mid on both sides, and imbalance. A pure
 * function of the book's price levels, so the same levels give the same view on every process,
 * live or replayed from the lake (docs/orderbooks.md has the definitions).
 */

/** One price level, parsed: the exchange's decimal strings as numbers (views are figures, not ledgers). */
export interface Level {
  readonly price: number;
  readonly quantity: number;
}

/** A book's sides, best first: bids by price descending, asks ascending; no level of zero quantity. */
export interface BookSides {
  readonly bids: readonly Level[];
  readonly asks: readonly Level[];
}

/** The bands depth is measured in, as fractions of the mid (±0.1 %, ±0.5 %, ±1 %). */
export const DEPTH_BANDS = [0.001, 0.005, 0.01] as const;
export type DepthBand = (typeof DEPTH_BANDS)[number];

/** Resting liquidity within ±band of the mid: base quantity and quote notional on each side. */
export interface BandDepth {
  /** The band in percent of the mid (0.1, 0.5, 1). */
  readonly percent: number;
  readonly bidQuantity: number;
  readonly askQuantity: number;
  readonly bidNotional: number;
  readonly askNotional: number;
  /** (bid − ask) / (bid + ask) of the base quantities in the band, in [−1, 1]; null when the band is empty. */
  readonly imbalance: number | null;
}

export interface BookView {
  readonly bestBid: Level | null;
  readonly bestAsk: Level | null;
  /** (best bid + best ask) / 2; null unless both sides have a level. */
  readonly mid: number | null;
  /** best ask − best bid: negative when the book is crossed (only a consolidated book may be). */
  readonly spread: number | null;
  /** The spread in basis points of the mid. */
  readonly spreadBps: number | null;
  /** Touch imbalance: (best bid qty − best ask qty) / (their sum), in [−1, 1]. */
  readonly imbalance: number | null;
  readonly depth: readonly BandDepth[];
  readonly bidLevels: number;
  readonly askLevels: number;
}

/** (bid − ask) / (bid + ask), in [−1, 1]; null when both are zero (nothing resting is not a balance). */
export const imbalanceRatio = (bid: number, ask: number): number | null => (bid + ask > 0 ? (bid - ask) / (bid + ask) : null);

/** Sums the leading levels of a side while `inside(price)` holds (a side is sorted best first). */
const sumWhile = (levels: readonly Level[], inside: (price: number) => boolean): { quantity: number; notional: number } => {
  let quantity = 0;
  let notional = 0;
  for (const l of levels) {
    if (!inside(l.price)) break;
    quantity += l.quantity;
    notional += l.price * l.quantity;
  }
  return { quantity, notional };
};

const bandDepth = (book: BookSides, mid: number, band: DepthBand): BandDepth => {
  const bid = sumWhile(book.bids, (p) => p >= mid * (1 - band));
  const ask = sumWhile(book.asks, (p) => p <= mid * (1 + band));
  return {
    percent: Math.round(band * 1000) / 10,
    bidQuantity: bid.quantity,
    askQuantity: ask.quantity,
    bidNotional: bid.notional,
    askNotional: ask.notional,
    imbalance: imbalanceRatio(bid.quantity, ask.quantity),
  };
};

export const bookView = (book: BookSides): BookView => {
  const bestBid = book.bids[0] ?? null;
  const bestAsk = book.asks[0] ?? null;
  const mid = bestBid !== null && bestAsk !== null ? (bestBid.price + bestAsk.price) / 2 : null;
  const spread = bestBid !== null && bestAsk !== null ? bestAsk.price - bestBid.price : null;
  return {
    bestBid,
    bestAsk,
    mid,
    spread,
    spreadBps: spread !== null && mid !== null && mid > 0 ? (spread / mid) * 10_000 : null,
    imbalance: bestBid !== null && bestAsk !== null ? imbalanceRatio(bestBid.quantity, bestAsk.quantity) : null,
    depth: mid === null ? [] : DEPTH_BANDS.map((b) => bandDepth(book, mid, b)),
    bidLevels: book.bids.length,
    askLevels: book.asks.length,
  };
};

/** The first `depth` levels of each side. */
export const topOfBook = (book: BookSides, depth: number): BookSides => ({ bids: book.bids.slice(0, depth), asks: book.asks.slice(0, depth) });
