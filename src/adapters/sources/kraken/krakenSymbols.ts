/**
 * Kraken pair names ↔ canonical symbols. WebSocket v2 writes pairs as `BTC/USD`; REST and older
 * feeds use Kraken's own asset codes, `XBT` for bitcoin and `XDG` for dogecoin (`XBT/USD`,
 * altname `XBTUSD`), which are BTC and DOGE everywhere else.
 */
import { baseOf, isMarketSymbol, quoteOf } from '../../../domain/symbol.js';
import { memoByString } from '../wire/memoByString.js';

const KRAKEN_TO_COMMON: Readonly<Record<string, string>> = { XBT: 'BTC', XDG: 'DOGE' };
const COMMON_TO_KRAKEN: Readonly<Record<string, string>> = { BTC: 'XBT', DOGE: 'XDG' };

const common = (asset: string): string => KRAKEN_TO_COMMON[asset] ?? asset;
const kraken = (asset: string): string => COMMON_TO_KRAKEN[asset] ?? asset;

const fromPair = memoByString((pair: string): string | undefined => {
  const slash = pair.indexOf('/');
  if (slash < 0) return undefined;
  const symbol = `${common(pair.slice(0, slash))}-${common(pair.slice(slash + 1))}`;
  return isMarketSymbol(symbol) ? symbol : undefined;
});

/** `BTC/USD` or `XBT/USD` → `BTC-USD`; undefined for anything else. */
export const symbolFromKrakenPair = (pair: unknown): string | undefined => (typeof pair === 'string' ? fromPair(pair) : undefined);

/** `BTC-USD` → `BTC/USD`, the v2 WebSocket form. */
export const krakenWsPair = (symbol: string): string => `${baseOf(symbol)}/${quoteOf(symbol)}`;

/** `BTC-USD` → `XBTUSD`, the REST altname form. */
export const krakenRestPair = (symbol: string): string => `${kraken(baseOf(symbol))}${kraken(quoteOf(symbol))}`;
