/**
 * Recompute-on-correction on the cluster profile with the Spark engine, against the real stack:
 * correction command → PostgreSQL ledger → BullMQ job → spark-submit (the input staged in the
 * lake's tmp/ on HDFS and filed into a scratch lake there, batch_views on the standalone cluster,
 * rows written through the HBase REST sink from foreachPartition) → a new view version that the HBase BatchStore reads back and the HTTP API
 * serves. The 1m/1h/1d rows and the `views` meta hold the corrected values; every other
 * symbol-day's cells (the day before, another symbol) are byte for byte what they were.
 */
import { describe, expect, it } from 'vitest';
import { createHBaseRest, type HBaseCell } from '../../src/adapters/batch-store/hbase/hbaseRest.js';
import { buildServer } from '../../src/adapters/http/server.js';
import { candleView } from '../../src/domain/folds/candle.js';
import { slotCandle } from '../../src/domain/folds/minuteSlot.js';
import { clusterStack } from '../support/clusterProfile.js';
import { issueKey, openTestPlatform, origin, trade, withKey } from '../support/platform.js';
import { sparkEngineStack } from '../support/sparkEngineStack.js';

const MIN = 60_000;
const DAY = 86_400_000;

describe.skipIf(clusterStack.skip || sparkEngineStack.skip)('recompute through Spark (cluster profile)', () => {
  it('a voided trade leaves the served batch view in a new version written by Spark; other symbols and days keep theirs', { timeout: 900_000 }, async () => {
    // This checkout's spark-jobs, and a lake of the test's own on HDFS where the recompute stages its input.
    const rig = sparkEngineStack.rig();
    const config = clusterStack.config();
    const { platform, cleanup } = await openTestPlatform({ ...config, ...rig.config });
    const server = await buildServer(platform, { logger: false });
    // The cluster profile answers nothing without a key.
    const app = withKey(server, (await issueKey(platform, 'compliance')).key);
    const rest = createHBaseRest({ url: config.hbaseUrl! });
    /** Every cell of the batch tables, outside the rows of `skip` (row key prefixes). */
    const cells = async (skip: (row: string) => boolean): Promise<HBaseCell[]> =>
      (await Promise.all(['ohlcv', 'views'].map((t) => rest.scan(`${config.hbaseTablePrefix}${t}`, '0', '~')))).flat().filter((c) => !skip(c.row));
    try {
      const now = Date.now();
      const t0 = now - (now % DAY) - DAY + 10 * 60 * MIN; // yesterday 10:00 UTC
      const day = t0 - (t0 % DAY);
      const dayBefore = t0 - DAY;
      await platform.commands.recordObservations({
        origin,
        items: [
          trade('1', '100', t0 + 1_000),
          trade('2', '200', t0 + 2_000),
          trade('3', '150', t0 + 3 * MIN),
          trade('4', '120', t0 + 2 * 60 * MIN),
          trade('0', '300', dayBefore),
          trade('e1', '10', t0 + 1_000, { symbol: 'ETH-USDT' }),
        ],
      });
      await platform.batchProjector.runOnce();
      const ohlcv = async (symbol: string, interval: string, from: number, to: number) =>
        (await app.inject(`/api/v1/ohlcv/${symbol}?interval=${interval}&from=${from}&to=${to}`)).json();
      expect((await ohlcv('BTC-USDT', '1m', t0, t0 + 5 * MIN)).candles[0]).toMatchObject({ high: 200, trades: 2 });
      const before = await platform.batch.meta('ohlcv', 'BTC-USDT');
      expect(before?.version).toBe(1);
      // The recomputed symbol-day's rows: `BTC-USDT#{interval}#{time in that day}`.
      const recomputed = (row: string) => {
        const [symbol, , time] = row.split('#');
        return symbol === 'BTC-USDT' && Number(time) >= day && Number(time) < day + DAY;
      };
      const untouched = await cells((row) => recomputed(row) || row === 'ohlcv#BTC-USDT');
      expect(untouched.filter((c) => c.row.startsWith('BTC-USDT#')).length).toBeGreaterThanOrEqual(3); // the day before: 1m, 1h, 1d
      expect(untouched.some((c) => c.row.startsWith('ETH-USDT#'))).toBe(true);

      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/corrections',
        payload: { correctionId: 'spark-fix-1', target: { exchange: 'binance', symbol: 'BTC-USDT', tradeId: '2' }, action: 'void', reason: 'busted by the exchange' },
      });
      expect(r.statusCode).toBe(201);
      await platform.jobs.drain('recompute');
      expect(await platform.jobs.failed('recompute')).toEqual([]);

      const minutes = await ohlcv('BTC-USDT', '1m', t0, t0 + 5 * MIN);
      expect(minutes.batch.version).toBe(2);
      expect(minutes.candles.map((c: { open: number; high: number; close: number; trades: number }) => [c.open, c.high, c.close, c.trades])).toEqual([
        [100, 100, 100, 1],
        [150, 150, 150, 1],
      ]);
      expect(minutes.sources.map((s: { layer: string }) => s.layer)).toContain('batch');

      // What Spark wrote, read back through the HBase BatchStore: minute slots, 1h and 1d candles, meta.
      const view = (c: Parameters<typeof candleView>[0]) => {
        const v = candleView(c);
        return [v.time, v.open, v.high, v.low, v.close, v.volume, v.trades];
      };
      const slots = (await platform.batch.minutes('BTC-USDT', day, day + DAY)).map((m) => view(slotCandle(m.slot)!));
      expect(slots).toEqual([
        [t0, 100, 100, 100, 100, 1, 1],
        [t0 + 3 * MIN, 150, 150, 150, 150, 1, 1],
        [t0 + 2 * 60 * MIN, 120, 120, 120, 120, 1, 1],
      ]);
      const hours = (await platform.batch.candles('BTC-USDT', '1h', day, day + DAY)).map((c) => view(c.candle));
      expect(hours).toEqual([
        [t0, 100, 150, 100, 150, 2, 2],
        [t0 + 2 * 60 * MIN, 120, 120, 120, 120, 1, 1],
      ]);
      const days = (await platform.batch.candles('BTC-USDT', '1d', day, day + DAY)).map((c) => ({ ...c, candle: view(c.candle) }));
      expect(days).toEqual([{ exchange: 'binance', symbol: 'BTC-USDT', interval: '1d', candle: [day, 100, 150, 100, 120, 3, 3] }]);
      expect(candleView((await platform.batch.candles('BTC-USDT', '1d', day, day + DAY))[0]!.candle).quoteVolume).toBeCloseTo(370, 9);
      const correction = (await platform.ledger.read(0, 1_000)).find((e) => e.type === 'CorrectionIssued')!;
      // The new version, computed through the correction; the batch/speed boundary stays where the projector left it.
      expect(await platform.batch.meta('ohlcv', 'BTC-USDT')).toEqual({ ...before, version: 2, throughPosition: expect.any(Number) });
      expect((await platform.batch.meta('ohlcv', 'BTC-USDT'))!.throughPosition).toBeGreaterThanOrEqual(correction.position);

      // Every other symbol-day: the same cells as before, not rewritten.
      expect(await cells((row) => recomputed(row) || row === 'ohlcv#BTC-USDT')).toEqual(untouched);
      expect((await ohlcv('BTC-USDT', '1m', dayBefore, dayBefore + MIN)).candles).toMatchObject([{ high: 300, trades: 1 }]);
      expect((await platform.batch.meta('ohlcv', 'ETH-USDT'))?.version).toBe(1);

      const completed = (await platform.ledger.read(0, 1_000)).filter((e) => e.type === 'RecomputeCompleted');
      expect(completed.map((e) => e.data)).toMatchObject([{ symbol: 'BTC-USDT', version: 2, engine: 'spark' }]);
    } finally {
      await server.close();
      await cleanup();
      await rig.cleanup();
    }
  });
});
