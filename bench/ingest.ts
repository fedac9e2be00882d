/**
 * ingest: trades/s from the simulator to a queryable live view, with the ledger's durability on
 * (SQLite WAL, synchronous=FULL, leaf hashes, tree tiles and a signed checkpoint per group, dedup
 * keys), and p50/p99 latency from append to live view. Baseline in the same run: raw batched SQLite inserts of the same rows into the
 * same table, same durability, no validation, hashing or projection.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { INSERT_EVENT, LEDGER_SCHEMA } from '../src/adapters/ledger/sqlite/schema.js';
import { DEFAULT_CONFIG } from '../src/app/config.js';
import { openPlatform } from '../src/app/platform.js';
import type { SourceItem } from '../src/domain/ports.js';
import { percentile, simulatedBatches } from './support/simulatedTrades.js';

const TRADES = Number(process.env['BENCH_TRADES'] ?? 400_000);
const BATCH = 1_000;
const IN_FLIGHT = 4;

const platformRun = async (batches: SourceItem[][]) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-bench-'));
  const platform = await openPlatform({
    config: { ...DEFAULT_CONFIG, dataDir: dir, source: 'none', batchIntervalMs: 3_600_000, allowedLatenessMs: 60_000 },
    logger: pino({ level: 'silent' }),
  });
  const latencies: number[] = [];
  const started = performance.now();
  let next = 0;
  let last = 0;
  const worker = async () => {
    while (next < batches.length) {
      const items = batches[next++]!;
      const t0 = performance.now();
      const r = await platform.commands.recordObservations({ origin: { actor: 'bench', correlationId: 'b', source: 'simulator' }, items });
      last = Math.max(last, r.lastPosition);
      void platform.liveProjection.waitFor(r.lastPosition).then(() => latencies.push(performance.now() - t0));
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  await platform.liveProjection.waitFor(last);
  const seconds = (performance.now() - started) / 1000;
  const probe = await platform.queries.symbols();
  await platform.close();
  rmSync(dir, { recursive: true, force: true });
  return { seconds, latencies, symbols: probe.length };
};

const baselineRun = (batches: SourceItem[][]) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-bench-raw-'));
  const db = new Database(path.join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(LEDGER_SCHEMA);
  const insert = db.prepare(INSERT_EVENT);
  const meta = JSON.stringify({ actor: 'bench', correlationId: 'b', causationId: null, source: 'simulator', recordedAt: Date.now() });
  const leaf = Buffer.alloc(32, 0xff);
  // Rows prepared outside the timing: the baseline is the database's own insert cost.
  const rows = batches.map((b) => b.map((item) => {
    const d = (item as { data: { exchange: string; symbol: string; tradeId: string; eventTime: number } }).data;
    return [JSON.stringify(d), `trades/${d.exchange}/${d.symbol}`, `trade/${d.exchange}/${d.symbol}/${d.tradeId}`] as const;
  }));
  let position = 0;
  const write = db.transaction((batch: (typeof rows)[number]) => {
    for (const [data, stream, key] of batch) {
      position++;
      insert.run(position, `id-${position}`, 'TradeObserved', 1, stream, position, data, meta, key, 0, leaf);
    }
  });
  const started = performance.now();
  for (const b of rows) write(b);
  const seconds = (performance.now() - started) / 1000;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { seconds };
};

const batches = await simulatedBatches({ seed: 7, symbols: 100, trades: TRADES, batchSize: BATCH });
const trades = batches.reduce((a, b) => a + b.length, 0);
const base = baselineRun(batches);
const run = await platformRun(batches);
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
  latencyP50Ms: Number(percentile(run.latencies, 50).toFixed(2)),
  latencyP99Ms: Number(percentile(run.latencies, 99).toFixed(2)),
  baselineUnit: 'raw batched SQLite inserts of the same rows/s',
}));
