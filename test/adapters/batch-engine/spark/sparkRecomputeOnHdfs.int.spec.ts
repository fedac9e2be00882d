/**
 * The Spark recompute on the cluster profile stages its input on the cluster's lake on HDFS
 * (`{lake}/tmp/recompute-<request position>/`), runs batch_views on the standalone cluster
 * reading it from there, and removes the folder afterwards, also when the job fails.
 *
 * The same observations and corrections go to an embedded platform (the ts engine, SQLite) and
 * to a cluster platform whose lake is a folder of this test's own on the stack's HDFS (--lake);
 * both recompute after the corrections and must hold the same batch candles. What the staging
 * folder held is looked at through WebHDFS when the engine reports it staged (the Spark job,
 * seconds of JVM start and work, has not begun reading yet), and {lake}/tmp is empty after.
 */
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createSparkBatchEngine } from '../../../../src/adapters/batch-engine/spark/sparkBatchEngine.js';
import { isSparkJobError, type SparkEndpoint } from '../../../../src/adapters/batch-engine/spark/sparkSubmit.js';
import { openHBaseBatchStore } from '../../../../src/adapters/batch-store/hbase/hbaseBatchStore.js';
import { hdfsLake } from '../../../../src/adapters/lake/lakeLocation.js';
import { webHdfs as lakeFiles } from '../../../../src/adapters/lake/webHdfs.js';
import type { Platform } from '../../../../src/app/platform.js';
import { QUOTE_SCALE, fixedToNumber } from '../../../../src/domain/decimal.js';
import type { Candle } from '../../../../src/domain/folds/candle.js';
import { slotCandle } from '../../../../src/domain/folds/minuteSlot.js';
import { uniqueName } from '../../../contracts/polling.js';
import { clusterStack } from '../../../support/clusterProfile.js';
import { openTestPlatform, origin, trade } from '../../../support/platform.js';
import { repoRoot } from '../../../support/sharedData.js';
import { sparkEngineStack } from '../../../support/sparkEngineStack.js';
import { dropHBaseTables } from '../../../support/hbaseTables.js';
import { requireStack } from '../../../support/stack.js';

const spark = requireStack('spark');
const hbase = requireStack('hbase');
const MIN = 60_000;
const D = Date.UTC(2024, 4, 20); // a midnight: the trades span two days
const FAR = Date.UTC(2100, 0, 1);

/** Every batch row of BTC-USDT: 1m slots, 1h and 1d candles, keyed by exchange, interval and bucket. */
const batchRows = async (platform: Platform): Promise<Map<string, Candle>> => {
  const rows = new Map<string, Candle>();
  for (const r of await platform.batch.minutes('BTC-USDT', 0, FAR)) {
    const c = slotCandle(r.slot);
    if (c !== undefined) rows.set(`${r.exchange}|1m|${r.minute}`, c);
  }
  for (const interval of ['1h', '1d'] as const) {
    for (const r of await platform.batch.candles('BTC-USDT', interval, 0, FAR)) rows.set(`${r.exchange}|${interval}|${r.candle.bucketStart}`, r.candle);
  }
  return rows;
};

/** The same market on any platform: trades across midnight on two exchanges, then a void and a replacement. */
const recordAndCorrect = async (platform: Platform): Promise<void> => {
  const items = [];
  for (let i = 0; i < 60; i++) {
    const t = D - 30 * MIN + i * 61_000;
    items.push(trade(`b${i}`, String(100 + (i % 7)), t, { quantity: `0.${i + 1}` }));
    items.push(trade(`c${i}`, String(101 + (i % 5)), t + 7_000, { exchange: 'coinbase', quantity: '2.5' }));
  }
  await platform.commands.recordObservations({ origin, items });
  await platform.batchProjector.runOnce();
  await platform.commands.issueCorrection({ correctionId: 'v1', action: 'void', target: { exchange: 'binance', symbol: 'BTC-USDT', tradeId: 'b3' }, reason: 'busted' }, origin);
  await platform.commands.issueCorrection(
    { correctionId: 'r1', action: 'replace', target: { exchange: 'coinbase', symbol: 'BTC-USDT', tradeId: 'c40' }, reason: 'wrong', replacement: { price: '99.5', quantity: '1', side: 'sell', eventTime: D - 20 * MIN } },
    origin,
  );
  await platform.jobs.drain('recompute');
  await platform.batchProjector.runOnce();
  expect(await platform.jobs.failed('recompute')).toEqual([]);
};

describe.skipIf(clusterStack.skip || sparkEngineStack.skip || hbase.skip)('Spark recompute with its input on the lake on HDFS', () => {
  it('gives the ts engine\'s candles from input staged under {lake}/tmp on HDFS, and leaves nothing there', { timeout: 15 * 60_000 }, async () => {
    const r = sparkEngineStack.rig();
    const lakeUri = r.config.lake!;
    const staged: string[] = [];
    let whileStaged: Promise<string[]> | undefined;
    const logger = pino({ level: 'debug' }, {
      write: (line: string) => {
        const msg = (JSON.parse(line) as { msg?: string }).msg ?? '';
        const m = / input staged in (\S+)$/.exec(msg);
        if (m === null) return;
        staged.push(m[1]!);
        // Written before spark-submit starts, removed only after it exits: look now.
        whileStaged ??= r.files.filesUnder(`${r.root}/tmp`);
      },
    });
    const ts = await openTestPlatform();
    const cluster = await openTestPlatform({ ...clusterStack.config(), ...r.config }, undefined, logger);
    try {
      await recordAndCorrect(ts.platform);
      await recordAndCorrect(cluster.platform);

      // (a) The same candles as the ts engine, corrections applied.
      const expected = await batchRows(ts.platform);
      const got = await batchRows(cluster.platform);
      expect(expected.size).toBeGreaterThan(100);
      expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [k, e] of expected) {
        const s = got.get(k)!;
        expect({ ...s, quoteVolume: 0n }, k).toEqual({ ...e, quoteVolume: 0n });
        // Spark sums quote volume as a double (see batchViewsParity).
        const q = fixedToNumber(e.quoteVolume, QUOTE_SCALE);
        expect(Math.abs(fixedToNumber(s.quoteVolume, QUOTE_SCALE) - q), k).toBeLessThanOrEqual(1e-9 * Math.abs(q));
      }
      const completed = (await cluster.platform.ledger.read(0, 1_000)).filter((e) => e.type === 'RecomputeCompleted').map((e) => e.data);
      expect(completed).toMatchObject([{ engine: 'spark' }, { engine: 'spark' }]);

      // (b) Each recompute's input was on HDFS, in the lake's tmp/, named after its request.
      const requests = (await cluster.platform.ledger.read(0, 1_000)).filter((e) => e.type === 'RecomputeRequested').map((e) => e.position);
      expect(staged).toEqual(requests.map((p) => `${lakeUri}/tmp/recompute-${p}`));
      expect(await whileStaged).toContain(`recompute-${requests[0]}/events.jsonl`);

      // (c) Nothing left under {lake}/tmp.
      expect(await r.files.names(`${r.root}/tmp`)).toEqual([]);
    } finally {
      await cluster.cleanup();
      await ts.cleanup();
      await r.cleanup();
    }
  });

  it('removes the staging folder when the job fails, and clears what a dead earlier try left', { timeout: 10 * 60_000 }, async () => {
    const r = sparkEngineStack.rig();
    const lake = hdfsLake(r.hdfs, r.root);
    const { platform, cleanup } = await openTestPlatform();
    const hbaseUrl = hbase.endpoint().url;
    const store = await openHBaseBatchStore({ url: hbaseUrl, tablePrefix: `${uniqueName('stagefail').replace(/-/g, '_')}_` });
    try {
      const { lastPosition } = await platform.commands.recordObservations({ origin, items: [trade('1', '100', D + 1_000), trade('2', '101', D + 2 * MIN)] });
      // A try of this request that died before its cleanup: a stale file in its scratch lake.
      const folder = `${r.root}/tmp/recompute-${lastPosition}`;
      await r.files.put(`${folder}/lake/raw/type=TradeObserved/date=2024-05-20/stale.parquet`, Buffer.from('not parquet'));
      const lines: string[] = [];
      const engine = createSparkBatchEngine({
        ledger: platform.ledger,
        store,
        spark: { ...(spark.endpoint() as unknown as SparkEndpoint), jobs: path.join(repoRoot, 'spark-jobs') },
        // Nothing listens there: the job fails writing its views, after reading the staged input.
        hbaseUrl: 'http://127.0.0.1:1',
        hbaseTablePrefix: 'unused_',
        lake,
        lakeFiles: lakeFiles(r.hdfs),
        jobTimeoutMs: 8 * 60_000,
        onLine: (line) => lines.push(line),
      });
      const failure = await engine.recompute({ symbol: 'BTC-USDT', fromDay: '2024-05-20', toDay: '2024-05-20', throughPosition: lastPosition }).catch((e: unknown) => e);
      expect(isSparkJobError(failure), String(failure)).toBe(true);
      // It failed writing to HBase, so it read the lake: the stale file was gone (else reading it fails first).
      expect(lines.join('\n')).toMatch(/Connection refused/);
      expect(lines.join('\n')).not.toMatch(/not a Parquet file/);
      expect(lines).toContain(`recompute BTC-USDT 2024-05-20..2024-05-20: input staged in ${lake.uri}/tmp/recompute-${lastPosition}`);
      expect(await r.files.names(`${r.root}/tmp`)).toEqual([]);
    } finally {
      await store.close();
      await dropHBaseTables(hbaseUrl, store.tables);
      await cleanup();
      await r.cleanup();
    }
  });
});
