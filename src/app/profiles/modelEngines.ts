/**
 * The model engines a platform trains with: the embedded one always (pure TypeScript, any
 * profile); on the cluster profile with the Spark batch engine also Spark MLlib on the standalone
 * cluster, which is then the default (rows staged on the cluster's lake on HDFS). Predictions are
 * always served from the recorded trees, whichever engine grew them.
 */
import { createEmbeddedModelEngine, EMBEDDED_MODEL_ENGINE } from '../../adapters/models/embedded/embeddedModelEngine.js';
import { createSparkModelEngine, SPARK_MODEL_ENGINE } from '../../adapters/models/spark/sparkModelEngine.js';
import type { ModelEngine } from '../../domain/ports.js';
import type { Config } from '../config.js';
import { resolveClusterLake } from './clusterLake.js';
import { clusterSpark } from './clusterSpark.js';

/** Five folds × a small grid of MLlib fits over a year of hours; past this the job is stuck. */
const SPARK_TRAINING_TIMEOUT_MS = 30 * 60_000;

export interface ModelEngines {
  readonly engines: Readonly<Record<string, ModelEngine>>;
  readonly defaultEngine: string;
}

export const modelEngines = (config: Config): ModelEngines => {
  const embedded = { [EMBEDDED_MODEL_ENGINE]: createEmbeddedModelEngine() };
  if (config.profile !== 'cluster' || config.batchEngine !== 'spark') return { engines: embedded, defaultEngine: EMBEDDED_MODEL_ENGINE };
  const spark = clusterSpark(config);
  const lake = resolveClusterLake(config);
  const sparkEngine = createSparkModelEngine({ spark, lake: lake.location, lakeFiles: lake.files, jobTimeoutMs: SPARK_TRAINING_TIMEOUT_MS });
  return { engines: { ...embedded, [SPARK_MODEL_ENGINE]: sparkEngine }, defaultEngine: SPARK_MODEL_ENGINE };
};
