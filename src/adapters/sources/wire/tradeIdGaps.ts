/**
 * Trade-id continuity per (exchange, symbol). Binance trade ids (`t`) and Coinbase trade ids
 * (`trade_id`) count up by one per trade and per symbol, so a jump means trades were missed —
 * during a reconnect, or dropped upstream. An id at or below the last one seen is a repeat (the
 * ledger's dedup key absorbs it) and never moves the mark back.
 */
export interface TradeIdGap {
  readonly symbol: string;
  readonly lastSeen: number;
  readonly resumedAt: number;
  readonly missing: number;
}

export interface TradeIdTracker {
  /** Notes `id` for `symbol`; returns the hole it reveals, if any. */
  observe(symbol: string, id: number): TradeIdGap | undefined;
}

export const createTradeIdTracker = (): TradeIdTracker => {
  const last = new Map<string, number>();
  return {
    observe(symbol, id) {
      const prev = last.get(symbol);
      if (prev !== undefined && id <= prev) return undefined;
      last.set(symbol, id);
      if (prev === undefined || id === prev + 1) return undefined;
      return { symbol, lastSeen: prev, resumedAt: id, missing: id - prev - 1 };
    },
  };
};
