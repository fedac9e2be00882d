/**
 * Real data: replay Binance spot 1m klines through the whole platform (source → ledger →
 * batch projector → merged read model) and compare the 1h candles it serves with 1h candles
 * aggregated independently, straight from the CSV text.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createReplaySource } from '../../src/adapters/sources/replay/replaySource.js';
import { openTestPlatform } from '../support/platform.js';
import { requireSharedData } from '../support/sharedData.js';

const FILES = ['BTCUSDT-1m-2023-02-01.csv', 'BTCUSDT-1m-2023-02-02.csv'].map((f) => `binance-spot-klines-1m-2023-02/${f}`);
const data = requireSharedData(...FILES);

/** Independent aggregation: plain parsing of the 12-column rows, grouped by hour. */
const hourlyFromCsv = (files: string[]) => {
  const hours = new Map<number, { open: number; high: number; low: number; close: number; volume: number; trades: number }>();
  for (const f of files) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      const cols = line.trim().split(',');
      if (cols.length < 12 || !/^\d+$/.test(cols[0]!)) continue;
      const t = Number(cols[0]);
      const hour = t - (t % 3_600_000);
      const [o, h, l, c, v] = cols.slice(1, 6).map(Number) as [number, number, number, number, number];
      const prev = hours.get(hour);
      if (prev === undefined) hours.set(hour, { open: o, high: h, low: l, close: c, volume: v, trades: Number(cols[8]) });
      else hours.set(hour, { open: prev.open, high: Math.max(prev.high, h), low: Math.min(prev.low, l), close: c, volume: prev.volume + v, trades: prev.trades + Number(cols[8]) });
    }
  }
  return hours;
};

describe('replayed Binance klines', () => {
  it.skipIf(data.skip)('serve the same 1h candles as an independent aggregation of the file', async () => {
    data.assertAvailable();
    const files = FILES.map((f) => data.path(f));
    const { platform, cleanup } = await openTestPlatform();
    try {
      await platform.ingest(createReplaySource({ files, speed: 0 }), new AbortController().signal);
      await platform.batchProjector.runOnce();
      const expected = hourlyFromCsv(files);
      const from = Math.min(...expected.keys());
      const answer = await platform.queries.ohlcv({ symbol: 'BTC-USDT', interval: '1h', from, to: from + 48 * 3_600_000 });
      expect(answer.gaps).toEqual([]);
      expect(answer.candles).toHaveLength(48);
      for (const c of answer.candles) {
        const e = expected.get(c.time)!;
        expect([c.open, c.high, c.low, c.close, c.trades]).toEqual([e.open, e.high, e.low, e.close, e.trades]);
        expect(c.volume).toBeCloseTo(e.volume, 6);
      }
      const counts = Object.values(platform.metrics.snapshot());
      expect(counts.reduce((a, c) => a + c.accepted, 0)).toBe(2 * 1440);
      expect(counts.reduce((a, c) => a + c.rejected, 0)).toBe(0);
    } finally {
      await cleanup();
    }
  }, 60_000);
});
