/**
 * What a recompute reads from the ledger (both engines; the Spark one exports exactly this):
 * the symbol's corrections and its trades and klines of the days asked, as the ledger stood at
 * the request. Other symbols, other days and later events stay out.
 */
import { describe, expect, it } from 'vitest';
import { recomputeInputs } from '../../../src/projections/batch/recomputeSymbolDays.js';
import { openTestPlatform, origin, trade } from '../../support/platform.js';

const DAY = 86_400_000;
const d1 = Date.UTC(2024, 0, 1, 12);

const kline = (symbol: string, openTime: number) => ({
  kind: 'candle' as const,
  data: { exchange: 'binance', symbol, interval: '1m', openTime, open: '1', high: '2', low: '1', close: '2', volume: '3', quoteVolume: '4', trades: 5 },
});

describe('recomputeInputs', () => {
  it('reads the symbol-days asked for and the symbol corrections, through the position given', async () => {
    const { platform, cleanup } = await openTestPlatform();
    try {
      await platform.commands.recordObservations({
        origin,
        items: [
          trade('a', '100', d1 - DAY), // the day before
          trade('b', '101', d1),
          trade('c', '102', d1 + DAY), // the second day asked
          trade('d', '103', d1 + 2 * DAY), // the day after
          trade('x', '9', d1, { symbol: 'ETH-USDT' }),
          trade('y', '9', d1, { exchange: 'coinbase' }),
          kline('BTC-USDT', d1),
          kline('ETH-USDT', d1),
        ],
      });
      await platform.commands.issueCorrection({ correctionId: 'k1', action: 'void', target: { exchange: 'binance', symbol: 'BTC-USDT', tradeId: 'a' }, reason: 'r' }, origin);
      await platform.commands.issueCorrection({ correctionId: 'k2', action: 'void', target: { exchange: 'binance', symbol: 'ETH-USDT', tradeId: 'x' }, reason: 'r' }, origin);
      const through = (await platform.ledger.head()).position;
      await platform.commands.recordObservations({ origin, items: [trade('late', '104', d1 + 1_000)] });

      const got = await recomputeInputs(platform.ledger, { symbol: 'BTC-USDT', fromDay: '2024-01-01', toDay: '2024-01-02' }, through);
      const ids = (events: { data: unknown }[]) => events.map((e) => e.data as { tradeId?: string; correctionId?: string }).map((d) => d.tradeId ?? d.correctionId).sort();
      expect(ids(got.trades)).toEqual(['b', 'c', 'y']);
      expect(got.klines.map((e) => [(e.data as { symbol: string }).symbol, (e.data as { openTime: number }).openTime])).toEqual([['BTC-USDT', d1]]);
      expect(ids(got.corrections)).toEqual(['k1']);
      expect([...got.trades, ...got.klines, ...got.corrections].every((e) => e.position <= through)).toBe(true);
    } finally {
      await cleanup();
    }
  });
});
