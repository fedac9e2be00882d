/**
 * Bitfinex trading symbols ↔ canonical symbols. A trading pair is `t` + base + quote: two
 * three-letter codes (`tBTCUSD`), or with a colon when either is longer (`tTESTBTC:TESTUSD`,
 * `tDOGE:USD`). Bitfinex's own codes for a few assets differ from everyone else's: `UST` is
 * Tether (USDT) and `UDC` is USD Coin (USDC).
 */
import { baseOf, isMarketSymbol, quoteOf } from '../../../domain/symbol.js';

const BITFINEX_TO_COMMON: Readonly<Record<string, string>> = { UST: 'USDT', UDC: 'USDC' };
const COMMON_TO_BITFINEX: Readonly<Record<string, string>> = { USDT: 'UST', USDC: 'UDC' };

/** `BTCUSD` or `DOGE:USD` (the pair, without `t`) → `BTC-USD`. */
export const symbolFromBitfinexPair = (pair: unknown): string | undefined => {
  if (typeof pair !== 'string') return undefined;
  const colon = pair.indexOf(':');
  const [base, quote] = colon >= 0 ? [pair.slice(0, colon), pair.slice(colon + 1)] : pair.length === 6 ? [pair.slice(0, 3), pair.slice(3)] : [undefined, undefined];
  if (base === undefined || quote === undefined) return undefined;
  const symbol = `${BITFINEX_TO_COMMON[base] ?? base}-${BITFINEX_TO_COMMON[quote] ?? quote}`;
  return isMarketSymbol(symbol) ? symbol : undefined;
};

/** `BTC-USDT` → `tBTCUST`; `DOGE-USD` → `tDOGE:USD`. */
export const bitfinexSymbol = (symbol: string): string => {
  const base = COMMON_TO_BITFINEX[baseOf(symbol)] ?? baseOf(symbol);
  const quote = COMMON_TO_BITFINEX[quoteOf(symbol)] ?? quoteOf(symbol);
  return base.length === 3 && quote.length === 3 ? `t${base}${quote}` : `t${base}:${quote}`;
};
