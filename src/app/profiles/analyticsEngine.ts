/**
 * The engine that computes the nightly correlation matrices and networks: the embedded one, or on the
 * cluster profile with the Spark batch engine, Spark on the standalone cluster (closes staged on the
 * cluster's lake on HDFS), as the batch views and the models are there.
 */
import { createSparkAnalyticsEngine } from '../../adapters/analytics/spark/sparkAnalyticsEngine.js';
import { embeddedAnalyticsEngine, type AnalyticsEngine } from '../../read-models/analytics/analyticsViews.js';
import type { Config } from '../config.js';
import { resolveClusterLake } from './clusterLake.js';
import { clusterSpark } from './clusterSpark.js';

/** Four windows, two methods each, PageRank iterated as joins over 100 symbols; past this it is stuck. */
const SPARK_ANALYTICS_TIMEOUT_MS = 30 * 60_000;

export const analyticsEngine = (config: Config, onLine?: (line: string) => void): AnalyticsEngine => {
  if (config.profile !== 'cluster' || config.batchEngine !== 'spark') return embeddedAnalyticsEngine;
  const lake = resolveClusterLake(config);
  return createSparkAnalyticsEngine({
    spark: clusterSpark(config),
    lake: lake.location,
    lakeFiles: lake.files,
    jobTimeoutMs: SPARK_ANALYTICS_TIMEOUT_MS,
    ...(onLine === undefined ? {} : { onLine }),
  });
};
