/**
 * Recompute-on-correction on the cluster profile with the Spark engine, against the real stack:
 * correction command → PostgreSQL ledger → BullMQ job → spark-submit (export into a scratch lake,
 * batch_views on the standalone cluster, rows written through the HBase REST gateway) → a new
 * view version that the HTTP API serves. Only the corrected symbol's corrected day changes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildServer } from '../../src/adapters/http/server.js';
import { clusterStack } from '../support/clusterProfile.js';
import { openTestPlatform, origin, trade } from '../support/platform.js';
import { repoRoot } from '../support/sharedData.js';
import { requireStack } from '../support/stack.js';

const spark = requireStack('spark');
const MIN = 60_000;
const DAY = 86_400_000;

describe.skipIf(clusterStack.skip || spark.skip)('recompute through Spark (cluster profile)', () => {
  it('a voided trade leaves the served batch view in a new version written by Spark; other symbols and days keep theirs', { timeout: 900_000 }, async () => {
    // This checkout's spark-jobs (the stack's entry names the folder it was installed from).
    const stackDir = mkdtempSync(path.join(os.tmpdir(), 'tv-spark-stack-'));
    writeFileSync(path.join(stackDir, 'endpoints.json'), JSON.stringify({ spark: { ...spark.endpoint(), jobs: path.join(repoRoot, 'spark-jobs') } }));
    const { platform, cleanup } = await openTestPlatform({ ...clusterStack.config(), batchEngine: 'spark', stackDir });
    const app = await buildServer(platform, { logger: false });
    try {
      const now = Date.now();
      const t0 = now - (now % DAY) - DAY + 10 * 60 * MIN; // yesterday 10:00 UTC
      const dayBefore = t0 - DAY;
      await platform.commands.recordObservations({
        origin,
        items: [
          trade('1', '100', t0 + 1_000),
          trade('2', '200', t0 + 2_000),
          trade('3', '150', t0 + 3 * MIN),
          trade('0', '300', dayBefore),
          trade('e1', '10', t0 + 1_000, { symbol: 'ETH-USDT' }),
        ],
      });
      await platform.batchProjector.runOnce();
      const ohlcv = async (symbol: string, interval: string, from: number, to: number) =>
        (await app.inject(`/api/v1/ohlcv/${symbol}?interval=${interval}&from=${from}&to=${to}`)).json();
      expect((await ohlcv('BTC-USDT', '1m', t0, t0 + 5 * MIN)).candles[0]).toMatchObject({ high: 200, trades: 2 });

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
      // The day before the correction was not recomputed: its row is the TS projector's.
      expect((await ohlcv('BTC-USDT', '1m', dayBefore, dayBefore + MIN)).candles).toMatchObject([{ high: 300, trades: 1 }]);
      expect((await platform.batch.meta('ohlcv', 'ETH-USDT'))?.version).toBe(1);

      const completed = (await platform.ledger.read(0, 1_000)).filter((e) => e.type === 'RecomputeCompleted');
      expect(completed.map((e) => e.data)).toMatchObject([{ symbol: 'BTC-USDT', version: 2, engine: 'spark' }]);
    } finally {
      await app.close();
      await cleanup();
      rmSync(stackDir, { recursive: true, force: true });
    }
  });
});
