/**
 * The Spark model engine as the cluster profile with `--batch-engine spark` builds it, on the local
 * stack (its Spark master, its HDFS lake's tmp/ for the staged rows), or why there is none here.
 */
import { SPARK_MODEL_ENGINE } from '../../src/adapters/models/spark/sparkModelEngine.js';
import { DEFAULT_CONFIG } from '../../src/app/config.js';
import { modelEngines } from '../../src/app/profiles/modelEngines.js';
import type { ModelEngine } from '../../src/domain/ports.js';

export const stackSparkModelEngine = (): { readonly engine: ModelEngine } | { readonly missing: string } => {
  try {
    const { engines } = modelEngines({ ...DEFAULT_CONFIG, profile: 'cluster', batchEngine: 'spark' });
    return { engine: engines[SPARK_MODEL_ENGINE]! };
  } catch (e) {
    return { missing: e instanceof Error ? e.message : String(e) };
  }
};
