/**
 * Gemini symbols ↔ canonical symbols. Gemini names pairs without a separator, lower case in REST
 * (`btcusd`, GET /v1/symbols) and upper case in market data v2 (`BTCUSD`); the quote is the
 * longest of Gemini's quote assets that ends the name (GUSD before USD, so `btcgusd` is BTC-GUSD).
 */
import { baseOf, quoteOf, quoteSuffixes, splitConcatenatedSymbol } from '../../../domain/symbol.js';
import { memoByString } from '../wire/memoByString.js';

export const GEMINI_QUOTES = quoteSuffixes(['USD', 'GUSD', 'USDT', 'USDC', 'DAI', 'EUR', 'GBP', 'SGD', 'BTC', 'ETH']);

/** `btcusd` or `BTCUSD` → `BTC-USD`. */
const fromName = memoByString((name: string): string | undefined => splitConcatenatedSymbol(name, GEMINI_QUOTES));
export const symbolFromGemini = (name: unknown): string | undefined => (typeof name === 'string' ? fromName(name) : undefined);

/** `BTC-USD` → `BTCUSD`, the market data v2 form (REST paths take it lower case). */
export const geminiSymbol = (symbol: string): string => `${baseOf(symbol)}${quoteOf(symbol)}`;
