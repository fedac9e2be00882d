/**
 * batch: trades/s of the Spark batch_views job (1m/1h/1d candles, indicators, risk, correlation,
 * from the Parquet lake, on the standalone cluster the stack runs) beside the baseline measured
 * in the same run: the TS fold the embedded batch projector uses (MinuteAccumulator, then the
 * 1h/1d roll-ups) over the same trades in memory. Needs `npm run stack -- up spark`.
 *
 *   npm run bench -- batch            BENCH_TRADES=5000000 for the figure (default 1,000,000)
 *
 * Not measured yet: the wall time from a correction command to the recomputed version served.
 * The path itself (BatchEngine `spark`, BullMQ job, HBase rows served) is exercised by
 * test/e2e/recomputeSpark.e2e.spec.ts.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { runSparkJob, type SparkEndpoint } from '../src/adapters/batch-engine/spark/sparkSubmit.js';
import { createSimulatorSource } from '../src/adapters/sources/simulator/simulatorSource.js';
import type { TradeData } from '../src/domain/events/market.js';
import { utcDay } from '../src/domain/time.js';
import { MinuteAccumulator } from '../src/projections/batch/minuteAccumulator.js';
import { dayRows, hourRows } from '../src/projections/batch/rollups.js';
import { stackDir } from '../test/support/stack.js';

const TRADES = Number(process.env['BENCH_TRADES'] ?? 1_000_000);

const endpoint = (): SparkEndpoint => {
  const file = path.join(stackDir, 'endpoints.json');
  const spark = (JSON.parse(readFileSync(file, 'utf8')) as Record<string, SparkEndpoint | undefined>)['spark'];
  if (spark === undefined) throw new Error(`no spark endpoint in ${file}: run npm run stack -- up spark first`);
  return spark;
};

const generate = async (file: string): Promise<TradeData[]> => {
  const trades: TradeData[] = [];
  const out = createWriteStream(file);
  const source = createSimulatorSource({ seed: 5, symbols: 10, tradesPerSecond: 50, startTime: Date.UTC(2024, 0, 1), maxTrades: TRADES, batchSize: 5_000 });
  let position = 0;
  await source.run(async (b) => {
    let chunk = '';
    for (const item of b.items) {
      if (item.kind !== 'trade') continue;
      const t = item.data as TradeData;
      trades.push(t);
      position++;
      chunk += JSON.stringify({ position, id: `b${position}`, type: 'TradeObserved', schemaVersion: 1, stream: 's', streamVersion: position, data: t, meta: { recordedAt: t.eventTime } }) + '\n';
    }
    if (!out.write(chunk)) await once(out, 'drain');
  }, new AbortController().signal);
  out.end();
  await once(out, 'close');
  return trades;
};

const tsFold = (trades: readonly TradeData[]): { seconds: number; rows: number } => {
  const t0 = performance.now();
  const acc = new MinuteAccumulator();
  for (const t of trades) acc.addTrade(t);
  let rows = 0;
  for (const [symbol, touched] of acc.bySymbol) {
    const minutes = [...touched.slots.values()].map((s) => ({ ...s, symbol }));
    const hours = hourRows(symbol, minutes);
    rows += minutes.length + hours.length + dayRows(symbol, hours).length;
  }
  return { seconds: (performance.now() - t0) / 1000, rows };
};

const work = mkdtempSync(path.join(os.tmpdir(), 'tv-bench-batch-'));
try {
  const spark = endpoint();
  const events = path.join(work, 'events.jsonl');
  process.stderr.write(`batch: generating ${TRADES} trades\n`);
  const trades = await generate(events);
  const lake = path.join(work, 'lake');
  const opts = { timeoutMs: 30 * 60_000, conf: { 'spark.executor.memory': '1g' } };
  process.stderr.write('batch: filing them into the lake (not timed)\n');
  await runSparkJob(spark, 'export', ['--input', events, '--lake', lake], opts);
  const base = tsFold(trades);
  const days = [utcDay(trades[0]!.eventTime), utcDay(trades[trades.length - 1]!.eventTime)];
  process.stderr.write(`batch: spark batch_views on ${spark.url}, days ${days.join('..')}\n`);
  const t0 = performance.now();
  await runSparkJob(spark, 'batch_views', ['--lake', lake, '--out', path.join(work, 'views'), '--from', days[0]!, '--to', days[1]!], opts);
  const sparkSeconds = (performance.now() - t0) / 1000;
  const value = trades.length / sparkSeconds;
  const baseline = trades.length / base.seconds;
  console.log(JSON.stringify({
    bench: 'batch',
    value: Math.round(value),
    unit: 'trades/s (spark batch_views, all views, incl. job start)',
    baseline: Math.round(baseline),
    ratio: Number((value / baseline).toFixed(3)),
    trades: trades.length,
    sparkSeconds: Number(sparkSeconds.toFixed(1)),
    baselineSeconds: Number(base.seconds.toFixed(2)),
    baselineUnit: 'trades/s of the TS fold (1m/1h/1d candles only, in memory)',
    master: spark.url,
  }));
} finally {
  rmSync(work, { recursive: true, force: true });
}
