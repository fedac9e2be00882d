/**
 * Bybit spot symbols ↔ canonical symbols: `BTCUSDT` ↔ `BTC-USDT`. The quote is the longest of
 * Bybit's spot quote coins (the quoteCoin values of /v5/market/instruments-info?category=spot)
 * that ends the name.
 */
import { baseOf, quoteOf, quoteSuffixes, splitConcatenatedSymbol } from '../../../domain/symbol.js';

export const BYBIT_QUOTES = quoteSuffixes(['USDT', 'USDC', 'USDE', 'USD1', 'FDUSD', 'DAI', 'BTC', 'ETH', 'EUR', 'BRL', 'TRY', 'PLN', 'MNT']);

export const symbolFromBybit = (name: unknown): string | undefined => (typeof name === 'string' ? splitConcatenatedSymbol(name, BYBIT_QUOTES) : undefined);

export const bybitSymbol = (symbol: string): string => `${baseOf(symbol)}${quoteOf(symbol)}`;
