/**
 * Bitstamp market names ↔ canonical symbols. Bitstamp writes pairs lower case without a separator
 * (`btcusd`, channel `live_trades_btcusd`); the quote is the longest of its quote assets that ends
 * the name. The list is the quote assets of Bitstamp's trading-pairs-info (GET
 * /api/v2/trading-pairs-info/): fiat, stablecoins, BTC and ETH.
 */
import { baseOf, quoteOf, quoteSuffixes, splitConcatenatedSymbol } from '../../../domain/symbol.js';
import { memoByString } from '../wire/memoByString.js';

export const BITSTAMP_QUOTES = quoteSuffixes(['USD', 'EUR', 'GBP', 'USDT', 'USDC', 'PAX', 'BTC', 'ETH']);

/** `btcusd` → `BTC-USD`. */
export const symbolFromBitstampPair = memoByString((pair: string): string | undefined => splitConcatenatedSymbol(pair, BITSTAMP_QUOTES));

/** `BTC-USD` → `btcusd`. */
export const bitstampPair = (symbol: string): string => `${baseOf(symbol)}${quoteOf(symbol)}`.toLowerCase();
