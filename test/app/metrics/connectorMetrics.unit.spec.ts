/** Every counter a connector reports has a metric of its own (none falls into tickvault_connector_other). */
import { describe, expect, it } from 'vitest';
import { CONNECTOR_STAT_METRICS } from '../../../src/app/metrics/connectorMetrics.js';
import { createCoinGeckoSource } from '../../../src/adapters/sources/coingecko/coingeckoSource.js';
import { createSentimentSource } from '../../../src/adapters/sources/sentiment/sentimentSource.js';
import { createStreamingSource } from '../../../src/adapters/sources/wire/streamingSource.js';
import { SKIPPED } from '../../../src/adapters/sources/wire/decoded.js';

describe('connector metrics table', () => {
  it('names every stat of the streaming (Binance, Coinbase), CoinGecko and sentiment connectors', () => {
    const sources = [
      createStreamingSource({ name: 'x', exchange: 'x', plan: async () => [], decode: () => SKIPPED, sequenceOf: () => undefined }),
      createCoinGeckoSource({ baseUrl: 'http://127.0.0.1:9', intervalMs: 1_000, requestsPerMinute: 1 }),
      createSentimentSource({ feed: 'posts.jsonl' }),
    ];
    const stats = sources.flatMap((s) => Object.values(s.connectorStats?.() ?? {}).flatMap((c) => Object.keys(c)));
    expect(stats.length).toBeGreaterThan(10);
    expect(stats.filter((stat) => CONNECTOR_STAT_METRICS[stat] === undefined)).toEqual([]);
  });

  it('exports counters as _total and gauges without it, each name once', () => {
    const metrics = Object.values(CONNECTOR_STAT_METRICS);
    for (const m of metrics) expect(m.name.endsWith('_total'), m.name).toBe(m.kind === 'counter');
    expect(new Set(metrics.map((m) => m.name)).size).toBe(metrics.length);
  });
});
