/**
 * ingest: trades/s from decoded batches of 1,000 (as the importer hands them over) through the
 * embedded platform to a queryable live view, with the ledger's durability on (SQLite WAL,
 * synchronous=FULL: a block is fsynced before its callers are answered; tiles and a signed
 * checkpoint per group; dedup keys). Also the ledger file's bytes per stored trade, everything
 * included (blocks, key index, stream index, tiles, checkpoints), and p50/p99 append → live view
 * with trades offered at a fixed rate (100,000/s by default), not as fast as possible.
 * Baseline in the same run: the same trades as JSON lines appended to a plain file, one fsync
 * per 1,000 lines.
 */
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { DEFAULT_CONFIG } from '../src/app/config.js';
import { embeddedLedgerFile } from '../src/app/profiles/embedded.js';
import { openPlatform } from '../src/app/platform.js';
import type { SourceItem } from '../src/domain/ports.js';
import { startCpuMeter } from './support/cpuMeter.js';
import { percentile, simulatedBatches } from './support/simulatedTrades.js';

const TRADES = Number(process.env['BENCH_TRADES'] ?? 400_000);
const OFFERED_PER_S = Number(process.env['BENCH_OFFERED_RATE'] ?? 100_000);
const BATCH = 1_000;
const IN_FLIGHT = 4;

const openBenchPlatform = async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-bench-'));
  const config = { ...DEFAULT_CONFIG, dataDir: dir, source: 'none' as const, batchIntervalMs: 3_600_000, allowedLatenessMs: 60_000 };
  const platform = await openPlatform({ config, logger: pino({ level: 'silent' }) });
  const record = (items: SourceItem[]) => platform.commands.recordObservations({ origin: { actor: 'bench', correlationId: 'b', source: 'simulator' }, items });
  return { platform, record, ledgerFile: embeddedLedgerFile(config), remove: () => rmSync(dir, { recursive: true, force: true }) };
};

/** As fast as it goes: IN_FLIGHT callers each handing over their next batch once the last is recorded. */
const throughputRun = async (batches: SourceItem[][]) => {
  const { platform, record, ledgerFile, remove } = await openBenchPlatform();
  const started = performance.now();
  const cpu = startCpuMeter();
  let next = 0;
  let last = 0;
  const caller = async () => {
    while (next < batches.length) last = Math.max(last, (await record(batches[next++]!)).lastPosition);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, caller));
  await platform.liveProjection.waitFor(last);
  const seconds = (performance.now() - started) / 1000;
  const used = cpu();
  const probe = await platform.queries.symbols();
  await platform.close();
  // Closed: the WAL is checkpointed into the file, which then holds everything the ledger stores.
  const bytes = statSync(ledgerFile).size;
  remove();
  return { seconds, bytes, symbols: probe.length, used };
};

/** Batches offered on a fixed schedule (open loop): latency from handing a batch over to its last trade in the live view. */
const latencyRun = async (batches: SourceItem[][]) => {
  const { platform, record, remove } = await openBenchPlatform();
  const interval = (BATCH / OFFERED_PER_S) * 1000;
  const latencies: number[] = [];
  const started = performance.now();
  const pending: Array<Promise<void>> = [];
  for (let i = 0; i < batches.length; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    pending.push(record(batches[i]!).then((r) => platform.liveProjection.waitFor(r.lastPosition)).then(() => void latencies.push(performance.now() - t0)));
  }
  await Promise.all(pending);
  const achieved = (batches.length * BATCH) / ((performance.now() - started) / 1000);
  await platform.close();
  remove();
  return { latencies, achieved };
};

/** The same trades as JSON lines to a plain file, one fsync per batch of 1,000. */
const baselineRun = (batches: SourceItem[][]) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-bench-raw-'));
  const fd = openSync(path.join(dir, 'trades.jsonl'), 'a');
  const started = performance.now();
  for (const b of batches) {
    let lines = '';
    for (const item of b) lines += JSON.stringify((item as { data: unknown }).data) + '\n';
    writeSync(fd, lines);
    fsyncSync(fd);
  }
  const seconds = (performance.now() - started) / 1000;
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
  return { seconds };
};

const batches = await simulatedBatches({ seed: 7, symbols: 100, trades: TRADES, batchSize: BATCH });
const trades = batches.reduce((a, b) => a + b.length, 0);
const base = baselineRun(batches);
const run = await throughputRun(batches);
const paced = await latencyRun(batches.slice(0, Math.min(batches.length, 200)));
const value = trades / run.seconds;
const baseline = trades / base.seconds;
process.stderr.write(`ingest: ${trades} trades, ${run.symbols} symbols, ${BATCH}/batch, ${IN_FLIGHT} in flight\n`);
console.log(JSON.stringify({
  bench: 'ingest',
  value: Math.round(value),
  unit: 'trades/s',
  baseline: Math.round(baseline),
  ratio: Number((value / baseline).toFixed(3)),
  trades,
  bytesPerTrade: Number((run.bytes / trades).toFixed(1)),
  // CPU time per trade (both threads) says more than trades/s when the machine's cores are all busy.
  cpuUsPerTrade: Number(((run.used.processCpuS * 1e6) / trades).toFixed(1)),
  busyCores: Number(run.used.busyCores.toFixed(2)),
  offeredPerS: OFFERED_PER_S,
  achievedPerS: Math.round(paced.achieved),
  latencyP50Ms: Number(percentile(paced.latencies, 50).toFixed(2)),
  latencyP99Ms: Number(percentile(paced.latencies, 99).toFixed(2)),
  baselineUnit: 'the same trades as JSON lines to a plain file, one fsync per 1,000 lines, trades/s',
}));
