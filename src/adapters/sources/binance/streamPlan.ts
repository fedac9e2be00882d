/**
 * Which combined-stream connections cover a symbol list. Binance allows at most 1024 streams per
 * connection (`/stream?streams=a/b/...`); each symbol needs two (`@trade`, `@kline_1m`), so the
 * list is cut into connections of at most `streamsPerConnection` streams, a symbol's streams
 * never split across two connections. Resubscribing after a reconnect is then reconnecting to
 * the same URL.
 */
import { baseOf, quoteOf } from '../../../domain/symbol.js';

export const BINANCE_MAX_STREAMS_PER_CONNECTION = 1024;
export const STREAMS_PER_SYMBOL = ['trade', 'kline_1m'] as const;
/** The diff depth stream, added per symbol when books are asked for. */
export const BOOK_STREAM = 'depth@100ms';

/** `BTC-USDT` → `btcusdt`, the stream-name form. */
export const streamSymbol = (symbol: string): string => `${baseOf(symbol)}${quoteOf(symbol)}`.toLowerCase();

/** The connections' URLs, and the symbols each carries. */
export const planStreamUrls = (
  wsBase: string,
  symbols: readonly string[],
  streamsPerConnection = BINANCE_MAX_STREAMS_PER_CONNECTION,
  kinds: readonly string[] = STREAMS_PER_SYMBOL,
): Array<{ url: string; symbols: readonly string[] }> => {
  const perSymbol = kinds.length;
  if (streamsPerConnection < perSymbol || streamsPerConnection > BINANCE_MAX_STREAMS_PER_CONNECTION) {
    throw new RangeError(`streams per connection must be between ${perSymbol} and ${BINANCE_MAX_STREAMS_PER_CONNECTION}, got ${streamsPerConnection}`);
  }
  const symbolsPerConnection = Math.floor(streamsPerConnection / perSymbol);
  const urls: Array<{ url: string; symbols: readonly string[] }> = [];
  for (let i = 0; i < symbols.length; i += symbolsPerConnection) {
    const these = symbols.slice(i, i + symbolsPerConnection);
    const streams = these.flatMap((s) => kinds.map((kind) => `${streamSymbol(s)}@${kind}`));
    urls.push({ url: `${wsBase.replace(/\/+$/, '')}/stream?streams=${streams.join('/')}`, symbols: these });
  }
  return urls;
};
