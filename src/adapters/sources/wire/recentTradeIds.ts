/**
 * Trades already taken, per symbol, for the exchanges that repeat trades by design: a snapshot of
 * recent trades on every (re)subscribe (Kraken, Bitfinex, Gemini) and the REST catch-up after a
 * reconnect, which overlaps the live stream. The last `capacity` ids of each symbol are kept; a
 * trade seen again is dropped before it reaches the ledger (whose dedup key would absorb it too)
 * and counted.
 */
export interface RecentTradeIds {
  /** True the first time (symbol, id) is offered, false for a repeat. */
  isNew(symbol: string, id: string): boolean;
}

export const createRecentTradeIds = (capacity = 10_000): RecentTradeIds => {
  const bySymbol = new Map<string, { ids: Set<string>; order: string[]; next: number }>();
  return {
    isNew(symbol, id) {
      let s = bySymbol.get(symbol);
      if (s === undefined) bySymbol.set(symbol, (s = { ids: new Set(), order: [], next: 0 }));
      if (s.ids.has(id)) return false;
      if (s.order.length < capacity) s.order.push(id);
      else {
        // A ring: the oldest id makes room.
        s.ids.delete(s.order[s.next]!);
        s.order[s.next] = id;
        s.next = (s.next + 1) % capacity;
      }
      s.ids.add(id);
      return true;
    },
  };
};
