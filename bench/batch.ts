/**
 * batch: the batch layer on Spark against the TS batch projector, on the same trades.
 *
 * 1. Throughput. Simulator trades are recorded into an embedded (SQLite) ledger. Baseline: the
 *    TS batch projector folds them all into the batch store (1m/1h/1d candles, corrections,
 *    meta), timed. Value: the Spark batch_views job over the same trades (exported to JSON lines
 *    and filed into the Parquet lake first, not timed; their times are reported), on the
 *    standalone cluster the stack runs, writing every view (candles, indicators, trend, risk,
 *    correlations) to Parquet, timed from spark-submit to its exit (JVM start included).
 *    The lake on HDFS: the same lake copied file for file onto the stack's HDFS, and the same
 *    batch_views job reading it from there, timed the same way in the same run (goal ≥ 0.7 of
 *    the local-disk rate).
 * 2. Recompute latency for one symbol-day: the wall time from POST /api/v1/corrections to the
 *    API serving the recomputed view version. `ts` on the embedded platform of part 1 (the
 *    big ledger); `ts` and `spark` on a cluster-profile platform (PostgreSQL ledger, BullMQ,
 *    HBase) holding BENCH_RECOMPUTE_TRADES trades, the same data for both engines.
 *
 *   npm run bench -- batch                          BENCH_TRADES (default 1,000,000)
 *   BENCH_TRADES=5000000 npm run bench -- batch     the issue's figure: 5 million trades
 *   BENCH_RECOMPUTE_TRADES                          trades of the cluster platform (default 100,000)
 *
 * Needs the stack (`npm run stack -- up`): spark, hdfs, postgres, redis, kafka, hbase.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { runSparkJob, type SparkEndpoint } from '../src/adapters/batch-engine/spark/sparkSubmit.js';
import { buildServer } from '../src/adapters/http/server.js';
import { exportLedgerJsonLines } from '../src/adapters/lake/ledgerJsonLines.js';
import { hdfsLake, localLake, sparkConfFor, type HdfsEndpoint, type LakeLocation } from '../src/adapters/lake/lakeLocation.js';
import { createSimulatorSource } from '../src/adapters/sources/simulator/simulatorSource.js';
import { DEFAULT_CONFIG, type Config } from '../src/app/config.js';
import { openPlatform, type Platform } from '../src/app/platform.js';
import type { TradeData } from '../src/domain/events/market.js';
import { DAY_MS, utcDay } from '../src/domain/time.js';
import { dropClusterState } from '../test/support/clusterProfile.js';
import { issueKey, withKey, type KeyedClient } from '../test/support/platform.js';
import { webHdfs } from '../test/support/webHdfs.js';
import { benchClusterConfig } from './support/clusterConfig.js';

const TRADES = Number(process.env['BENCH_TRADES'] ?? 1_000_000);
const RECOMPUTE_TRADES = Number(process.env['BENCH_RECOMPUTE_TRADES'] ?? 100_000);
const START = Date.UTC(2024, 0, 1);
const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const log = (line: string) => process.stderr.write(`batch: ${line}\n`);
const seconds = (since: number) => (performance.now() - since) / 1000;
const never = new AbortController().signal;

/** The stack's endpoints, with Spark running this checkout's spark-jobs; written into a scratch stack folder for the platform. */
const stackEntries = (work: string): { spark: SparkEndpoint; hdfs: HdfsEndpoint; stackDir: string } => {
  const file = path.join(process.env['TICKVAULT_STACK_DIR'] ?? path.join(repoRoot, DEFAULT_CONFIG.stackDir), 'endpoints.json');
  const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (all['spark'] === undefined) throw new Error(`no spark endpoint in ${file}: run npm run stack -- up spark first`);
  if (all['hdfs'] === undefined) throw new Error(`no hdfs endpoint in ${file}: run npm run stack -- up hdfs first`);
  const spark = { ...(all['spark'] as SparkEndpoint), jobs: path.join(repoRoot, 'spark-jobs') };
  const stackDir = path.join(work, 'stack');
  mkdirSync(stackDir, { recursive: true });
  writeFileSync(path.join(stackDir, 'endpoints.json'), JSON.stringify({ ...all, spark }));
  return { spark, hdfs: all['hdfs'] as HdfsEndpoint, stackDir };
};

/** Copies every data file of the local lake `from` (not Hadoop's .crc side files) to `to` on HDFS. */
const copyToHdfs = async (from: string, hdfs: HdfsEndpoint, to: string): Promise<number> => {
  const files = (readdirSync(from, { recursive: true, withFileTypes: true }))
    .filter((d) => d.isFile() && !d.name.endsWith('.crc'))
    .map((d) => path.join(d.parentPath, d.name));
  const folder = webHdfs(hdfs);
  for (const f of files) await folder.put(`${to}/${path.relative(from, f)}`, readFileSync(f));
  return files.length;
};

/** batch_views over `lake`, views written to a local folder; seconds from spark-submit to its exit. */
const timeBatchViews = async (spark: SparkEndpoint, lake: LakeLocation, out: string, days: readonly [string, string]): Promise<number> => {
  const t0 = performance.now();
  await runSparkJob(spark, 'batch_views', ['--lake', lake.uri, '--out', out, '--from', days[0], '--to', days[1]], {
    ...sparkConf,
    conf: { ...sparkConf.conf, ...sparkConfFor(lake) },
  });
  return seconds(t0);
};

const sparkConf = { timeoutMs: 60 * 60_000, conf: { 'spark.executor.memory': '768m' } };

const record = async (platform: Platform, trades: number, symbols: number, tradesPerSecond: number): Promise<number> => {
  const started = performance.now();
  const progress = setInterval(() => void platform.ledger.head().then((h) => log(`  ${h.position} events recorded (${seconds(started).toFixed(0)} s)`)), 15_000);
  try {
    await platform.ingest(createSimulatorSource({ seed: 5, symbols, tradesPerSecond, startTime: START, maxTrades: trades, batchSize: 5_000 }), never);
  } finally {
    clearInterval(progress);
  }
  return (await platform.ledger.head()).position;
};

/** The first `n` trades of the ledger (corrections target them). */
const firstTrades = async (platform: Platform, n: number): Promise<TradeData[]> =>
  (await platform.ledger.read(0, 1_000)).filter((e) => e.type === 'TradeObserved').slice(0, n).map((e) => e.data as TradeData);

/** Seconds from the correction command to the API serving the symbol-day's next view version. */
const correctionToServed = async (platform: Platform, app: KeyedClient, t: TradeData, id: string): Promise<number> => {
  const day = t.eventTime - (t.eventTime % DAY_MS);
  const url = `/api/v1/ohlcv/${t.symbol}?interval=1h&from=${day}&to=${day + DAY_MS}`;
  const before = ((await app.inject(url)).json() as { batch: { version: number } | null }).batch?.version ?? 0;
  const started = performance.now();
  const r = await app.inject({
    method: 'POST',
    url: '/api/v1/corrections',
    payload: { correctionId: id, target: { exchange: t.exchange, symbol: t.symbol, tradeId: t.tradeId }, action: 'void', reason: 'benchmark' },
  });
  if (r.statusCode !== 201) throw new Error(`correction refused: HTTP ${r.statusCode} ${r.body}`);
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const served = ((await app.inject(url)).json() as { batch: { version: number } | null }).batch?.version ?? 0;
    if (served > before) return seconds(started);
    const failed = await platform.jobs.failed('recompute');
    if (failed.length > 0) throw new Error(`the recompute job failed: ${JSON.stringify(failed)}`);
    if (Date.now() > deadline) throw new Error(`the recomputed version of ${t.symbol} ${utcDay(day)} was not served within 30 min`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** Opens a platform, serves its API in-process (to a compliance officer's key: corrections are theirs), runs `f`, closes both. */
const withPlatform = async <T>(config: Config, f: (platform: Platform, app: KeyedClient) => Promise<T>): Promise<T> => {
  const platform = await openPlatform({ config, logger: pino({ level: 'silent' }), runProjections: false });
  const app = await buildServer(platform, { logger: false });
  try {
    return await f(platform, withKey(app, (await issueKey(platform, 'compliance', 'bench')).key));
  } finally {
    await app.close();
    await platform.close();
  }
};

const throughput = async (work: string, spark: SparkEndpoint, hdfs: HdfsEndpoint) => {
  const config: Config = { ...DEFAULT_CONFIG, dataDir: path.join(work, 'embedded'), source: 'none', batchIntervalMs: 3_600_000 };
  mkdirSync(config.dataDir, { recursive: true });
  return withPlatform(config, async (platform, app) => {
    log(`recording ${TRADES} simulator trades (10 symbols) into the embedded ledger (not timed)`);
    const head = await record(platform, TRADES, 10, 50);
    log('TS batch projector: folding them all (baseline)');
    let t0 = performance.now();
    await platform.batchProjector.runThrough(head);
    const tsSeconds = seconds(t0);
    log(`  ${(TRADES / tsSeconds).toFixed(0)} trades/s (${tsSeconds.toFixed(1)} s)`);
    const through = Math.max(...(await platform.batch.allMeta('ohlcv')).map((m) => m.computedThrough));
    const days = [utcDay(START), utcDay(through - 1)] as const;

    log('exporting the ledger as JSON lines and filing it into the Parquet lake (not timed)');
    const events = path.join(work, 'events.jsonl');
    const lake = path.join(work, 'lake');
    t0 = performance.now();
    await exportLedgerJsonLines(platform.ledger, events);
    const exportSeconds = seconds(t0);
    t0 = performance.now();
    await runSparkJob(spark, 'export', ['--input', events, '--lake', lake], sparkConf);
    const lakeSeconds = seconds(t0);
    rmSync(events, { force: true });

    log(`Spark batch_views on ${spark.url}, days ${days.join('..')}, lake on the local disk`);
    const sparkSeconds = await timeBatchViews(spark, localLake(lake), path.join(work, 'views'), days);
    log(`  ${(TRADES / sparkSeconds).toFixed(0)} trades/s (${sparkSeconds.toFixed(1)} s; export ${exportSeconds.toFixed(1)} s and lake job ${lakeSeconds.toFixed(1)} s not timed)`);

    const hdfsRoot = `/bench/batch-${Date.now().toString(36)}/crypto`;
    log(`copying the lake to ${hdfs.url}${hdfsRoot} (not timed)`);
    const copied = await copyToHdfs(lake, hdfs, hdfsRoot);
    log(`Spark batch_views, the same ${copied} lake files read from HDFS`);
    const hdfsSeconds = await timeBatchViews(spark, hdfsLake(hdfs, hdfsRoot), path.join(work, 'views-hdfs'), days);
    log(`  ${(TRADES / hdfsSeconds).toFixed(0)} trades/s (${hdfsSeconds.toFixed(1)} s)`);
    await webHdfs(hdfs).remove(path.posix.dirname(hdfsRoot));

    log('recompute of one symbol-day of this ledger with the TS engine, through the API');
    const [target] = await firstTrades(platform, 1);
    const recomputeEmbeddedTs = await correctionToServed(platform, app, target!, 'bench-embedded-ts');
    log(`  served after ${recomputeEmbeddedTs.toFixed(2)} s`);
    return { tsSeconds, sparkSeconds, hdfsSeconds, exportSeconds, lakeSeconds, recomputeEmbeddedTs };
  });
};

const recomputeOnCluster = async (work: string, stackDir: string) => {
  const name = `bench_batch_${Date.now().toString(36)}`;
  const base = { ...benchClusterConfig(name, path.join(work, 'cluster')), stackDir };
  mkdirSync(base.dataDir, { recursive: true });
  try {
    const ts = await withPlatform({ ...base, batchEngine: 'ts' }, async (platform, app) => {
      log(`cluster profile: recording ${RECOMPUTE_TRADES} trades (4 symbols, 2 days) into PostgreSQL (not timed)`);
      const head = await record(platform, RECOMPUTE_TRADES, 4, RECOMPUTE_TRADES / (2 * 86_400));
      await platform.batchProjector.runThrough(head);
      const [target] = await firstTrades(platform, 1);
      log('cluster profile: recompute of one symbol-day with the TS engine');
      const served = await correctionToServed(platform, app, target!, 'bench-cluster-ts');
      log(`  served after ${served.toFixed(2)} s`);
      return served;
    });
    const spark = await withPlatform({ ...base, batchEngine: 'spark' }, async (platform, app) => {
      const [, target] = await firstTrades(platform, 2);
      log('cluster profile: recompute of the same symbol-day with the Spark engine');
      const served = await correctionToServed(platform, app, target!, 'bench-cluster-spark');
      log(`  served after ${served.toFixed(2)} s`);
      return served;
    });
    return { ts, spark };
  } finally {
    await dropClusterState(base);
  }
};

const work = mkdtempSync(path.join(os.tmpdir(), 'tv-bench-batch-'));
try {
  const { spark, hdfs, stackDir } = stackEntries(work);
  const t = await throughput(work, spark, hdfs);
  const recompute = await recomputeOnCluster(work, stackDir);
  const value = TRADES / t.sparkSeconds;
  const baseline = TRADES / t.tsSeconds;
  console.log(JSON.stringify({
    bench: 'batch',
    value: Math.round(value),
    unit: 'trades/s (Spark batch_views on the standalone cluster, every view, job start included)',
    baseline: Math.round(baseline),
    ratio: Number((value / baseline).toFixed(3)),
    baselineUnit: 'trades/s of the TS batch projector (ledger → 1m/1h/1d candles in the SQLite batch store)',
    trades: TRADES,
    sparkSeconds: Number(t.sparkSeconds.toFixed(1)),
    baselineSeconds: Number(t.tsSeconds.toFixed(1)),
    lakeOnHdfs: {
      tradesPerSecond: Math.round(TRADES / t.hdfsSeconds),
      localDiskTradesPerSecond: Math.round(value),
      ratio: Number((t.sparkSeconds / t.hdfsSeconds).toFixed(3)),
      goal: 0.7,
      seconds: Number(t.hdfsSeconds.toFixed(1)),
      namenode: hdfs.url,
    },
    notTimed: { ledgerExportSeconds: Number(t.exportSeconds.toFixed(1)), lakeExportJobSeconds: Number(t.lakeSeconds.toFixed(1)) },
    correctionToServedSeconds: {
      embeddedTs: Number(t.recomputeEmbeddedTs.toFixed(2)),
      clusterTs: Number(recompute.ts.toFixed(2)),
      clusterSpark: Number(recompute.spark.toFixed(2)),
      clusterTrades: RECOMPUTE_TRADES,
    },
    master: spark.url,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  }));
} finally {
  rmSync(work, { recursive: true, force: true });
}
