/**
 * The closes the Spark analytics job is given: every (interval, symbol, bar) of every window once, as
 * the job's JSON lines (symbol, interval, bucket_start, close), whatever windows overlap.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closesJsonLines } from '../../../../src/adapters/analytics/spark/sparkAnalyticsEngine.js';
import { returnTable } from '../../../../src/domain/analytics/correlation.js';
import { WINDOW_SPECS, type CorrelationWindow } from '../../../../src/domain/analytics/definitions.js';

const DAY = 86_400_000;
const windowArb = fc.record({
  window: fc.constantFrom<CorrelationWindow>('30d', '90d', '365d', '24h'),
  closes: fc.array(fc.record({ symbol: fc.constantFrom('BTC-USDT', 'ETH-USDT', 'SOL-USDT'), days: fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 12 }) }), { maxLength: 3 }),
});

describe('closesJsonLines', () => {
  it('writes each (interval, symbol, bar) of the windows once, with its close', () => {
    fc.assert(fc.property(fc.array(windowArb, { maxLength: 4 }), (specs) => {
      // A close is a function of its bar, as the OHLCV reader's is for overlapping windows.
      const closeAt = (symbol: string, time: number) => symbol.length + time / DAY;
      const windows = specs.map((s) => ({
        window: s.window,
        table: returnTable([]),
        closes: s.closes.map((c) => ({ symbol: c.symbol, closes: c.days.map((d) => ({ time: d * DAY, close: closeAt(c.symbol, d * DAY) })) })),
      }));
      const lines = closesJsonLines(windows).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { symbol: string; interval: string; bucket_start: number; close: number });
      const want = new Set(specs.flatMap((s) => s.closes.flatMap((c) => c.days.map((d) => `${WINDOW_SPECS[s.window].interval} ${c.symbol} ${d * DAY}`))));
      expect(lines.map((l) => `${l.interval} ${l.symbol} ${l.bucket_start}`).sort()).toEqual([...want].sort());
      for (const l of lines) expect(l.close).toBe(closeAt(l.symbol, l.bucket_start));
    }), { numRuns: 200 });
  });
});
