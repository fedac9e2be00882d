/**
 * CoinGecko market snapshots: polls /coins/markets (USD, by market cap) every interval, within
 * the configured request rate (token bucket). A 429 answer pauses for its Retry-After (or a
 * minute when it gives none) and the same page is asked again; other failures are logged and
 * retried at the next interval. With a symbol list only those assets are kept.
 */
import type { MarketSource, SourceItem } from '../../../domain/ports.js';
import { baseOf } from '../../../domain/symbol.js';
import { sleep } from '../wire/backoff.js';
import { getJson, isHttpStatusError } from '../wire/httpJson.js';
import { createTokenBucket } from '../wire/tokenBucket.js';
import { COINGECKO_PROVIDER, decodeCoinsMarketsEntry } from './coinsMarkets.js';

export interface CoinGeckoSourceOptions {
  readonly baseUrl: string;
  /** BASE-QUOTE symbols whose base assets to keep, or undefined for the top `perPage`. */
  readonly symbols?: readonly string[];
  readonly perPage?: number;
  readonly intervalMs: number;
  readonly requestsPerMinute: number;
  readonly timeoutMs?: number;
  readonly now?: () => number;
  readonly log?: (level: 'info' | 'warn', message: string) => void;
}

const DEFAULT_RETRY_AFTER_S = 60;

export const createCoinGeckoSource = (o: CoinGeckoSourceOptions): MarketSource => {
  const now = o.now ?? Date.now;
  const bucket = createTokenBucket({ capacity: 1, perMinute: o.requestsPerMinute, now });
  const wanted = o.symbols === undefined ? undefined : new Set(o.symbols.map((s) => baseOf(s).toLowerCase()));
  // up: 1 once the last request was answered, 0 after a failure or a 429 (and before the first answer).
  const stats = { requests: 0, rateLimited: 0, failures: 0, snapshots: 0, rejected: 0, up: 0 };
  const url = `${o.baseUrl.replace(/\/+$/, '')}/coins/markets?vs_currency=usd&order=market_cap_desc&per_page=${o.perPage ?? 250}&page=1`;
  return {
    name: COINGECKO_PROVIDER,
    progress: () => ({ done: stats.snapshots, total: undefined }),
    connectorStats: () => ({ [COINGECKO_PROVIDER]: { ...stats } }),
    async run(emit, signal) {
      while (!signal.aborted) {
        await bucket.take(signal);
        if (signal.aborted) return;
        stats.requests++;
        let body: unknown;
        try {
          body = await getJson(url, { timeoutMs: o.timeoutMs ?? 15_000, signal });
        } catch (e) {
          if (signal.aborted) return;
          stats.up = 0;
          if (isHttpStatusError(e) && e.status === 429) {
            stats.rateLimited++;
            const wait = (e.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_S) * 1000;
            o.log?.('warn', `coingecko: rate limited; waiting ${Math.round(wait / 1000)} s as asked`);
            bucket.pauseFor(wait);
            continue;
          }
          stats.failures++;
          o.log?.('warn', `coingecko: ${e instanceof Error ? e.message : String(e)}; next try in ${o.intervalMs} ms`);
          await sleep(o.intervalMs, signal);
          continue;
        }
        stats.up = 1;
        const fetchedAt = now();
        const items: SourceItem[] = Array.isArray(body)
          ? body.filter((e) => wanted === undefined || (typeof (e as { symbol?: unknown }).symbol === 'string' && wanted.has((e as { symbol: string }).symbol.toLowerCase())))
            .map((e) => decodeCoinsMarketsEntry(e, fetchedAt))
          : [{ kind: 'rejected', reason: 'coingecko /coins/markets: expected a list of coins', raw: body }];
        for (const i of items) {
          if (i.kind === 'snapshot') stats.snapshots++;
          else stats.rejected++;
        }
        if (items.length > 0) await emit({ source: COINGECKO_PROVIDER, items });
        await sleep(o.intervalMs, signal);
      }
    },
  };
};
