/**
 * What every live exchange connector is given, and how its symbol list is settled when it starts:
 * a BASE-QUOTE list, or `all-usdt` / `all-usd` — every pair quoted in that asset that the
 * exchange lists as trading now, asked of its REST instruments list (which needs the network:
 * offline, the source fails at start with the reason).
 */
import type { StreamingSourceSpec } from './streamingSource.js';

export type SymbolChoice = readonly string[] | 'all-usdt' | 'all-usd';

export type Channel = 'trades' | 'books';

export interface LiveSourceOptions {
  readonly symbols: SymbolChoice;
  /** What to subscribe to; trades only by default. */
  readonly channels?: readonly Channel[];
  readonly wsUrl?: string;
  readonly restUrl?: string;
  /** false: no REST healing or catch-up (the feed alone). */
  readonly healGaps?: boolean;
  readonly socket?: StreamingSourceSpec['socket'];
  /** How often the application keep-alive goes out where the exchange wants one (OKX, Bybit); the exchange's own interval by default. */
  readonly keepAliveMs?: number;
  readonly log?: StreamingSourceSpec['log'];
}

/** The symbols to follow; `listQuotedIn` asks the exchange for every pair quoted in an asset. */
export const settleSymbols = async (
  exchange: string,
  choice: SymbolChoice,
  listQuotedIn: (quote: string, signal: AbortSignal) => Promise<readonly string[]>,
  signal: AbortSignal,
): Promise<readonly string[]> => {
  let symbols: readonly string[];
  if (choice === 'all-usdt' || choice === 'all-usd') {
    const quote = choice === 'all-usdt' ? 'USDT' : 'USD';
    try {
      symbols = await listQuotedIn(quote, signal);
    } catch (e) {
      throw new Error(`${exchange}: --symbols ${choice} asks ${exchange} which ${quote} pairs trade now, and that failed (no network? give the symbols as a list instead): ${e instanceof Error ? e.message : String(e)}`);
    }
  } else symbols = choice;
  if (symbols.length === 0) throw new Error(`${exchange}: no symbols to follow`);
  return symbols;
};

/** What a live connector hands on to its streaming source as it was given. */
export const passedOn = (o: LiveSourceOptions): Pick<StreamingSourceSpec, 'socket' | 'log'> =>
  ({ ...(o.socket === undefined ? {} : { socket: o.socket }), ...(o.log === undefined ? {} : { log: o.log }) });

/** Whether the options ask for order books. */
export const wantsBooks = (o: LiveSourceOptions): boolean => o.channels?.includes('books') === true;
/** Whether the options ask for trades (the default). */
export const wantsTrades = (o: LiveSourceOptions): boolean => o.channels === undefined || o.channels.includes('trades');

/** The REST base without a trailing slash. */
export const restBase = (url: string | undefined, fallback: string): string => (url ?? fallback).replace(/\/+$/, '');

/** Cuts a list into pieces of at most `size` (subscriptions per message or per connection). */
export const chunks = <T>(list: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
};
