/**
 * The book imbalance minutes the order-flow bars read, per exchange from the live watch where it
 * holds the minutes whole (from its `wholeFrom` on) and from the lake before that, or wholly from
 * the lake for a book this process does not hold live (an API-only process, a book that stopped).
 * The lake is read for at most LAKE_SPAN_MS before where the live minutes begin (or before the
 * range's end): a book changes many times a second, and a year of 1d bars would read a year of
 * book files per request; older bars have null.
 */
import { sumMinutes, type ImbalanceMinute } from '../domain/orderflow/bookImbalance.js';
import { DAY_MS } from '../domain/time.js';
import { lakeImbalanceMinutes } from './lakeImbalance.js';
import { bookExchangesOf, type ReplayDeps } from './orderBookReplay.js';

export const LAKE_SPAN_MS = 7 * DAY_MS;

export interface LiveBookMinutes {
  readonly exchange: string;
  readonly wholeFrom: number | undefined;
  minutes(from: number, to: number): ImbalanceMinute[];
}

/** Minutes in [from, to) of `symbol`'s books: one exchange's, or every exchange's summed (weighted by observed time). */
export const barImbalance = async (deps: ReplayDeps & { readonly settledBefore: number }, live: readonly LiveBookMinutes[], symbol: string, exchange: string | undefined, from: number, to: number): Promise<ImbalanceMinute[]> => {
  const liveOf = new Map(live.filter((b) => b.wholeFrom !== undefined).map((b) => [b.exchange, b]));
  const lakeEndOf = (x: string): number => Math.min(to, liveOf.get(x)?.wholeFrom ?? to);
  const lakeFrom = (x: string): number => Math.max(from, lakeEndOf(x) - LAKE_SPAN_MS);
  const earliest = Math.min(...[...liveOf.keys()].map(lakeFrom), Math.max(from, to - LAKE_SPAN_MS));
  const exchanges = exchange !== undefined ? [exchange] : [...new Set([...liveOf.keys(), ...(await bookExchangesOf(deps, symbol, earliest, to))])];
  const minutes: ImbalanceMinute[] = [];
  for (const x of exchanges) {
    const l = liveOf.get(x);
    if (l !== undefined) minutes.push(...l.minutes(Math.max(from, l.wholeFrom!), to));
    minutes.push(...(await lakeImbalanceMinutes(deps, x, symbol, lakeFrom(x), lakeEndOf(x), deps.settledBefore)));
  }
  return sumMinutes(minutes);
};
