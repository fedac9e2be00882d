/**
 * Bybit spot symbols ↔ canonical symbols: `BTCUSDT` ↔ `BTC-USDT`. The quote is the longest of
 * Bybit's spot quote coins (the quoteCoin values of /v5/market/instruments-info?category=spot)
 * that ends the name.
 */
import { baseOf, quoteOf, quoteSuffixes, splitConcatenatedSymbol } from '../../../domain/symbol.js';
import { memoByString } from '../wire/memoByString.js';

export const BYBIT_QUOTES = quoteSuffixes(['USDT', 'USDC', 'USDE', 'USD1', 'FDUSD', 'DAI', 'BTC', 'ETH', 'EUR', 'BRL', 'TRY', 'PLN', 'MNT']);

const fromName = memoByString((name: string): string | undefined => splitConcatenatedSymbol(name, BYBIT_QUOTES));
export const symbolFromBybit = (name: unknown): string | undefined => (typeof name === 'string' ? fromName(name) : undefined);

export const bybitSymbol = (symbol: string): string => `${baseOf(symbol)}${quoteOf(symbol)}`;
