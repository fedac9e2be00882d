/**
 * CoinGecko: the /coins/markets decoder (property-tested) and the polling source against a local
 * fake CoinGecko that first answers 429 with Retry-After, then the documented entry shape.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createCoinGeckoSource } from '../../../../src/adapters/sources/coingecko/coingeckoSource.js';
import { decodeCoinsMarketsEntry, numberToDecimalText } from '../../../../src/adapters/sources/coingecko/coinsMarkets.js';
import { validateEventData } from '../../../../src/domain/events/catalogue.js';
import type { SourceBatch } from '../../../../src/domain/ports.js';
import { eventually } from '../../../contracts/polling.js';
import { startFakeExchange, type FakeExchange } from '../../../support/fakeExchange.js';
import { garbageArb } from '../../../support/arbitraries.js';

// The shape of CoinGecko's documented /coins/markets example (fields this decoder reads, and some it ignores).
const BITCOIN = { id: 'bitcoin', symbol: 'btc', name: 'Bitcoin', current_price: 70187, market_cap: 1381651251183, market_cap_rank: 1, fully_diluted_valuation: 1474623675796, total_volume: 20154184933, high_24h: 70215, low_24h: 68060, last_updated: '2024-04-07T16:49:31.736Z' };

let fake: FakeExchange | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('CoinGecko /coins/markets', () => {
  it('decodes the documented entry to a market snapshot', () => {
    expect(decodeCoinsMarketsEntry(BITCOIN, 0)).toEqual({ kind: 'snapshot', data: {
      provider: 'coingecko', assetId: 'bitcoin', symbol: 'BTC-USD', priceUsd: '70187', marketCapUsd: '1381651251183', volume24hUsd: '20154184933', rank: 1, eventTime: Date.UTC(2024, 3, 7, 16, 49, 31, 736),
    } });
  });

  it('any finite non-negative number becomes a plain decimal string of the same value', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1e25, noNaN: true }), (n) => {
      const s = numberToDecimalText(n)!;
      expect(s).toMatch(/^\d+(\.\d+)?$/);
      expect(Math.abs(Number(s) - n)).toBeLessThanOrEqual(Math.max(1e-15, Math.abs(n) * 1e-12));
    }));
  });

  it('garbage never throws; every entry is a valid snapshot or a rejection with a reason', () => {
    fc.assert(fc.property(fc.oneof(garbageArb, fc.record({ id: fc.string(), symbol: fc.string(), current_price: fc.oneof(fc.double(), fc.constant(null)), market_cap: fc.double(), total_volume: fc.double(), market_cap_rank: fc.oneof(fc.integer(), fc.constant(null)), last_updated: fc.string() })), (e) => {
      const item = decodeCoinsMarketsEntry(e, 0);
      if (item.kind === 'snapshot') expect(validateEventData('MarketSnapshotObserved', item.data).ok).toBe(true);
      else expect(item.kind === 'rejected' && item.reason.length > 20).toBe(true);
    }));
  });

  it('a null figure is rejected, never guessed', () => {
    expect(decodeCoinsMarketsEntry({ ...BITCOIN, market_cap: null }, 0)).toMatchObject({ kind: 'rejected', reason: expect.stringContaining('market_cap') as unknown });
  });

  it('the source waits as long as a 429 says, then records the snapshots of the symbols asked for', async () => {
    let calls = 0;
    fake = await startFakeExchange({
      http: (_req, res) => {
        calls++;
        if (calls === 1) return void res.writeHead(429, { 'retry-after': '1' }).end('{"status":{"error_code":429,"error_message":"You\'ve exceeded the Rate Limit"}}');
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([BITCOIN, { ...BITCOIN, id: 'ethereum', symbol: 'eth', market_cap_rank: 2 }, { ...BITCOIN, id: 'tether', symbol: 'usdt' }]));
      },
    });
    const batches: SourceBatch[] = [];
    const stop = new AbortController();
    const source = createCoinGeckoSource({ baseUrl: fake.httpUrl, symbols: ['BTC-USD', 'ETH-USD'], intervalMs: 60_000, requestsPerMinute: 600 });
    const started = Date.now();
    const run = source.run(async (b) => void batches.push(b), stop.signal);
    await eventually(() => batches.length === 1, { what: 'the first snapshots' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(batches[0]!.items.map((i) => (i.kind === 'snapshot' ? (i.data as { assetId: string }).assetId : i.kind))).toEqual(['bitcoin', 'ethereum']);
    expect(fake.requests[0]).toBe('/coins/markets?vs_currency=usd&order=market_cap_desc&per_page=250&page=1');
    expect(source.connectorStats?.()).toEqual({ coingecko: { requests: 2, rateLimited: 1, failures: 0, snapshots: 2, rejected: 0, up: 1 } });
    stop.abort();
    await run;
  });
});
