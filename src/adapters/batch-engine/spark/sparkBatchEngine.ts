/**
 * The Spark batch engine: a recompute exports only what it needs from the ledger as it stood at
 * the request (the symbol's corrections and its trade and kline streams of those days, the same
 * events the TS engine reads), clears the symbol-days' rows, then runs `batch_views` for that one
 * symbol and those days: it files the events into a scratch lake (as `export` does) and writes
 * the candles and the new view version through the HBase REST gateway into the tables the HBase
 * BatchStore reads. A crash anywhere leaves the projector's checkpoint before the request, so
 * the whole recompute runs again (every write is keyed, hence idempotent).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BatchEngine, BatchStore, Ledger } from '../../../domain/ports.js';
import { DAY_MS, parseUtcDay } from '../../../domain/time.js';
import { recomputeInputs } from '../../../projections/batch/recomputeSymbolDays.js';
import { writeEventsJsonLines } from '../../lake/ledgerJsonLines.js';
import { runSparkJob, type SparkEndpoint } from './sparkSubmit.js';
import { BATCH_PROJECTOR, OHLCV_VIEW } from '../../../domain/names.js';

export interface SparkBatchEngineDeps {
  readonly ledger: Ledger;
  /** The HBase BatchStore the job writes into (read here for the previous version, cleared per range). */
  readonly store: BatchStore;
  readonly spark: SparkEndpoint;
  readonly hbaseUrl: string;
  readonly hbaseTablePrefix: string;
  /** Per spark-submit; a job past it is killed with its process group. */
  readonly jobTimeoutMs: number;
  readonly onLine?: (line: string) => void;
}

export const createSparkBatchEngine = (deps: SparkBatchEngineDeps): BatchEngine => ({
  name: 'spark',
  async recompute(task) {
    const prev = await deps.store.meta(OHLCV_VIEW, task.symbol);
    const version = (prev?.version ?? 0) + 1;
    const work = mkdtempSync(path.join(os.tmpdir(), 'tv-recompute-'));
    const options = { timeoutMs: deps.jobTimeoutMs, ...(deps.onLine === undefined ? {} : { onLine: deps.onLine }) };
    try {
      const events = path.join(work, 'events.jsonl');
      const lake = path.join(work, 'lake');
      const inputs = await recomputeInputs(deps.ledger, task, task.throughPosition);
      await writeEventsJsonLines([...inputs.corrections, ...inputs.trades, ...inputs.klines], events);
      // A minute whose every trade was voided has no row in the job's output: clear the days first.
      const from = parseUtcDay(task.fromDay)!;
      const to = parseUtcDay(task.toDay)! + DAY_MS;
      await deps.store.commit(BATCH_PROJECTOR, { replace: [{ symbol: task.symbol, from, to }], minutes: [], candles: [], meta: [] }, task.throughPosition - 1);
      // One application files the events into the lake and computes the views: one JVM start.
      await runSparkJob(deps.spark, 'batch_views', [
        '--events', events,
        '--lake', lake,
        '--hbase-rest', deps.hbaseUrl,
        '--hbase-table-prefix', deps.hbaseTablePrefix,
        '--from', task.fromDay,
        '--to', task.toDay,
        '--symbols', task.symbol,
        '--view-version', String(version),
        '--through-position', String(task.throughPosition),
        // Past days rewritten: the boundary between the batch and speed layers stays (as the TS engine keeps it).
        '--computed-through', String(prev?.computedThrough ?? 0),
      ], options);
      return { version };
    } finally {
      // The job wrote into HBase around the store: what it remembers of the views is out of date.
      deps.store.invalidateMeta?.();
      rmSync(work, { recursive: true, force: true });
    }
  },
});
