/**
 * The Spark batch engine: a recompute exports only what it needs from the ledger as it stood at
 * the request (the symbol's corrections and its trade and kline streams of those days, the same
 * events the TS engine reads), clears the symbol-days' rows, then runs `batch_views` for that one
 * symbol and those days: it files the events into a scratch lake (as `export` does) and writes
 * the candles and the new view version through the HBase REST gateway into the tables the HBase
 * BatchStore reads. A crash anywhere leaves the projector's checkpoint before the request, so
 * the whole recompute runs again (every write is keyed, hence idempotent).
 *
 * The job's input and scratch lake live on the cluster's lake, in `{lake}/tmp/recompute-<request
 * position>/` on HDFS, where every executor of the standalone cluster reads them (nothing is on
 * the disk of the machine that submits). The folder is named after the request, so a try that
 * died before removing it is cleared by the next try; it is removed when the job ends, failed or not.
 */
import type { BatchEngine, BatchStore, Ledger, RecomputeTask } from '../../../domain/ports.js';
import { DAY_MS, parseUtcDay } from '../../../domain/time.js';
import { recomputeInputs } from '../../../projections/batch/recomputeSymbolDays.js';
import { hdfsLakeFolder, sparkConfFor, type LakeLocation } from '../../lake/lakeLocation.js';
import { eventsJsonLines } from '../../lake/ledgerJsonLines.js';
import type { WebHdfs } from '../../lake/webHdfs.js';
import { runSparkJob, type SparkEndpoint } from './sparkSubmit.js';
import { BATCH_PROJECTOR, OHLCV_VIEW } from '../../../domain/names.js';

export interface SparkBatchEngineDeps {
  readonly ledger: Ledger;
  /** The HBase BatchStore the job writes into (read here for the previous version, cleared per range). */
  readonly store: BatchStore;
  readonly spark: SparkEndpoint;
  readonly hbaseUrl: string;
  readonly hbaseTablePrefix: string;
  /** The cluster's lake (hdfs://): each recompute stages its input under its tmp/. */
  readonly lake: LakeLocation;
  /** WebHDFS on the lake's NameNode: writes the staged input and removes it. */
  readonly lakeFiles: WebHdfs;
  /** Per spark-submit; a job past it is killed with its process group. */
  readonly jobTimeoutMs: number;
  /** Progress for a person: where the input was staged, then the job's own output lines. */
  readonly onLine?: (line: string) => void;
}

/** Stages the task's input in `staging`, clears the symbol-days and runs batch_views over them. */
const stageAndRun = async (deps: SparkBatchEngineDeps, task: RecomputeTask, staging: { uri: string; path: string }, version: number, computedThrough: number): Promise<void> => {
  // What an earlier try of this request left (it died before its cleanup) would be filed twice.
  await deps.lakeFiles.remove(staging.path);
  const inputs = await recomputeInputs(deps.ledger, task, task.throughPosition);
  await deps.lakeFiles.create(`${staging.path}/events.jsonl`, eventsJsonLines([...inputs.corrections, ...inputs.trades, ...inputs.klines]));
  deps.onLine?.(`recompute ${task.symbol} ${task.fromDay}..${task.toDay}: input staged in ${staging.uri}`);
  // A minute whose every trade was voided has no row in the job's output: clear the days first.
  const from = parseUtcDay(task.fromDay)!;
  const to = parseUtcDay(task.toDay)! + DAY_MS;
  await deps.store.commit(BATCH_PROJECTOR, { replace: [{ symbol: task.symbol, from, to }], minutes: [], candles: [], meta: [] }, task.throughPosition - 1);
  // One application files the events into the scratch lake and computes the views: one JVM start.
  await runSparkJob(deps.spark, 'batch_views', [
    '--events', `${staging.uri}/events.jsonl`,
    '--lake', `${staging.uri}/lake`,
    '--hbase-rest', deps.hbaseUrl,
    '--hbase-table-prefix', deps.hbaseTablePrefix,
    '--from', task.fromDay,
    '--to', task.toDay,
    '--symbols', task.symbol,
    '--view-version', String(version),
    '--through-position', String(task.throughPosition),
    // Past days rewritten: the boundary between the batch and speed layers stays (as the TS engine keeps it).
    '--computed-through', String(computedThrough),
  ], { timeoutMs: deps.jobTimeoutMs, conf: sparkConfFor(deps.lake), ...(deps.onLine === undefined ? {} : { onLine: deps.onLine }) });
};

export const createSparkBatchEngine = (deps: SparkBatchEngineDeps): BatchEngine => ({
  name: 'spark',
  async recompute(task) {
    const prev = await deps.store.meta(OHLCV_VIEW, task.symbol);
    const version = (prev?.version ?? 0) + 1;
    const staging = hdfsLakeFolder(deps.lake, 'tmp', `recompute-${task.throughPosition}`);
    try {
      await stageAndRun(deps, task, staging, version, prev?.computedThrough ?? 0);
    } catch (e) {
      deps.store.invalidateMeta?.();
      // The job's own error is what the retry needs to know; the next try removes the folder first anyway.
      await deps.lakeFiles.remove(staging.path).catch((cleanup: unknown) =>
        deps.onLine?.(`recompute ${task.symbol}: could not remove ${staging.uri}: ${cleanup instanceof Error ? cleanup.message : String(cleanup)}`),
      );
      throw e;
    }
    // The job wrote into HBase around the store: what it remembers of the views is out of date.
    deps.store.invalidateMeta?.();
    // A failed removal fails the recompute, which is then redone (removing first): nothing stays behind.
    await deps.lakeFiles.remove(staging.path);
    return { version };
  },
});
