/** Canonical market symbols: `BASE-QUOTE`, upper case (`BTC-USDT`, `ETH-USD`). */

const SYMBOL_PATTERN = /^[A-Z0-9]{1,20}-[A-Z0-9]{1,20}$/;
const EXCHANGE_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

export type MarketSymbol = string;
export type ExchangeId = string;

export const isMarketSymbol = (s: string): boolean => SYMBOL_PATTERN.test(s);
export const isExchangeId = (s: string): boolean => EXCHANGE_PATTERN.test(s);

export const baseOf = (symbol: MarketSymbol): string => symbol.slice(0, symbol.indexOf('-'));
export const quoteOf = (symbol: MarketSymbol): string => symbol.slice(symbol.indexOf('-') + 1);

/**
 * Quote assets recognised when splitting an exchange's concatenated symbol (`BTCUSDT`).
 * Longest first, so `FDUSD` wins over `USD`.
 */
const KNOWN_QUOTES = [
  'FDUSD', 'USDT', 'USDC', 'TUSD', 'BUSD', 'USDP', 'DAI', 'USD', 'EUR', 'GBP', 'TRY', 'BRL', 'JPY',
  'AUD', 'BTC', 'ETH', 'BNB', 'XRP', 'DOGE', 'TRX',
].sort((a, b) => b.length - a.length);

/** An exchange's quote assets, longest first, for `splitConcatenatedSymbol`. */
export const quoteSuffixes = (quotes: readonly string[]): readonly string[] => [...quotes].sort((a, b) => b.length - a.length);

/**
 * `BTCUSDT` (or `btcusdt`) → `BTC-USDT`; undefined when no quote asset of `quotes` (longest first)
 * ends the name. Each exchange passes the quote assets it lists.
 */
export const splitConcatenatedSymbol = (raw: string, quotes: readonly string[] = KNOWN_QUOTES): MarketSymbol | undefined => {
  const upper = raw.toUpperCase();
  for (const quote of quotes) {
    if (upper.length > quote.length && upper.endsWith(quote)) {
      const candidate = `${upper.slice(0, -quote.length)}-${quote}`;
      return isMarketSymbol(candidate) ? candidate : undefined;
    }
  }
  return undefined;
};
