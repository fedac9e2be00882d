/**
 * The configured BatchEngine: `ts` (the projector's fold, any profile) or `spark` (cluster
 * profile only, since the job writes into HBase: spark-submit to the local stack's master, the
 * recompute's input staged on the cluster's lake on HDFS).
 */
import { createSparkBatchEngine } from '../../adapters/batch-engine/spark/sparkBatchEngine.js';
import { createTsBatchEngine } from '../../projections/batch/tsBatchEngine.js';
import { InvalidInputError } from '../../domain/errors.js';
import type { BatchEngine, BatchStore, Ledger } from '../../domain/ports.js';
import type { Config } from '../config.js';
import { resolveClusterLake } from './clusterLake.js';
import { clusterSpark } from './clusterSpark.js';
import { resolveServerUrl } from './stackEndpoints.js';

/** A Spark job over a symbol's days takes tens of seconds; past this it is stuck, not slow. */
const SPARK_JOB_TIMEOUT_MS = 15 * 60_000;

export type BatchEngineFactory = (ledger: Ledger, store: BatchStore) => BatchEngine;

/**
 * Checks the setting and resolves the Spark endpoints now, before any adapter is open (an error
 * then leaves nothing to close); the engine itself is made once the ledger and store exist.
 */
export const batchEngineFactory = (config: Config, onLine?: (line: string) => void): BatchEngineFactory => {
  if (config.batchEngine === 'ts') return (ledger, store) => createTsBatchEngine({ ledger, store });
  if (config.profile !== 'cluster') {
    throw new InvalidInputError('--batch-engine spark writes into HBase: it needs --profile cluster (or use --batch-engine ts)');
  }
  const spark = clusterSpark(config);
  const hbaseUrl = resolveServerUrl(config.hbaseUrl, 'hbase', config.stackDir, { flag: 'hbase-url', env: 'TICKVAULT_HBASE_URL' });
  const lake = resolveClusterLake(config);
  return (ledger, store) =>
    createSparkBatchEngine({
      ledger,
      store,
      spark,
      hbaseUrl,
      hbaseTablePrefix: config.hbaseTablePrefix,
      lake: lake.location,
      lakeFiles: lake.files,
      jobTimeoutMs: SPARK_JOB_TIMEOUT_MS,
      ...(onLine === undefined ? {} : { onLine }),
    });
};
