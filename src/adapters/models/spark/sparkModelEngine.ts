/**
 * The cluster's ModelEngine: Spark MLlib (GBTRegressor, RandomForestClassifier) on the standalone
 * cluster, through spark-jobs' `models` job (spark-jobs/tickvault_jobs/models.py), which follows
 * the embedded engine's definitions (docs/models.md) and answers the same TrainedModel JSON: the
 * report, the trees in the shared tree JSON (so the embedded predictor serves the model) and the hash.
 *
 * As the Spark batch engine does, the job's input and answer live on the cluster's lake, in
 * `{lake}/tmp/model-<id>/` on HDFS, where every executor reads them; the folder is removed when the
 * job ends, failed or not.
 */
import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '../../../domain/events/canonical.js';
import type { ModelSpec, TrainedModel } from '../../../domain/models/index.js';
import type { ModelEngine, ModelTrainingInput } from '../../../domain/ports.js';
import { runSparkJob, type SparkEndpoint } from '../../batch-engine/spark/sparkSubmit.js';
import { hdfsLakeFolder, sparkConfFor, type LakeLocation } from '../../lake/lakeLocation.js';
import type { WebHdfs } from '../../lake/webHdfs.js';
import { featureRowsJsonLines } from './featureRowsJsonLines.js';

export const SPARK_MODEL_ENGINE = 'spark';

export interface SparkModelEngineDeps {
  readonly spark: SparkEndpoint;
  /** The cluster's lake (hdfs://): each training stages its rows under its tmp/. */
  readonly lake: LakeLocation;
  /** WebHDFS on the lake's NameNode: writes the rows, reads the answer, removes both. */
  readonly lakeFiles: WebHdfs;
  /** Per spark-submit; a job past it is killed with its process group. */
  readonly jobTimeoutMs: number;
  /** The job's own output lines, for a person. */
  readonly onLine?: (line: string) => void;
}

/** A row an outer fold tested: its index among the usable rows, its bar, fold (1..K), target and forecast. */
export interface OutOfFoldRow {
  readonly rowIndex: number;
  readonly time: number;
  readonly fold: number;
  readonly y: number;
  readonly prediction: number;
}

export interface SparkTraining {
  readonly trained: TrainedModel;
  /** What the folds predicted (the parity test feeds them to the embedded engine's metrics). */
  readonly outOfFold: readonly OutOfFoldRow[];
}

/** The job prints `progress done/total` after each fit. */
const PROGRESS = /^progress (\d+)\/(\d+)$/;

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The job's answer, checked: its hash must be the TypeScript canonical JSON's hash of its model. */
const trainedFrom = (text: string): TrainedModel => {
  const answer = JSON.parse(text) as TrainedModel;
  if (typeof answer.modelHash !== 'string' || typeof answer.model !== 'object' || typeof answer.report !== 'object') {
    throw new Error('the Spark models job answered something other than a trained model (report, model, modelHash)');
  }
  const hash = sha256(canonicalJson(answer.model));
  if (hash !== answer.modelHash) {
    throw new Error(`the Spark models job's model hash ${answer.modelHash} is not the canonical JSON's ${hash}: models.py's canonical JSON has drifted from src/domain/events/canonical.ts`);
  }
  return answer;
};

/** Trains `spec` on the input's rows with the `models` job and reads back the model and the folds' forecasts. */
export const trainOnSpark = async (
  deps: SparkModelEngineDeps,
  spec: ModelSpec,
  input: ModelTrainingInput,
  onProgress?: (done: number, total: number) => void,
): Promise<SparkTraining> => {
  const staging = hdfsLakeFolder(deps.lake, 'tmp', `model-${randomUUID()}`);
  try {
    await deps.lakeFiles.create(`${staging.path}/rows.jsonl`, featureRowsJsonLines(input.symbol, spec.interval, input.rows));
    await runSparkJob(deps.spark, 'models', [
      '--rows', `${staging.uri}/rows.jsonl`,
      '--spec', JSON.stringify(spec),
      '--symbol', input.symbol,
      '--out', `${staging.uri}/trained.json`,
      '--out-of-fold', `${staging.uri}/out-of-fold.json`,
    ], {
      timeoutMs: deps.jobTimeoutMs,
      conf: sparkConfFor(deps.lake),
      onLine: (line) => {
        const progress = PROGRESS.exec(line);
        if (progress !== null) onProgress?.(Number(progress[1]), Number(progress[2]));
        deps.onLine?.(line);
      },
    });
    const trained = trainedFrom(await deps.lakeFiles.read(`${staging.path}/trained.json`));
    const outOfFold = JSON.parse(await deps.lakeFiles.read(`${staging.path}/out-of-fold.json`)) as OutOfFoldRow[];
    return { trained, outOfFold };
  } finally {
    // A failed removal leaves a folder named by a fresh id, never read again: say so, keep the job's own outcome.
    await deps.lakeFiles.remove(staging.path).catch((e: unknown) =>
      deps.onLine?.(`models ${input.symbol}: could not remove ${staging.uri}: ${e instanceof Error ? e.message : String(e)}`),
    );
  }
};

export const createSparkModelEngine = (deps: SparkModelEngineDeps): ModelEngine => ({
  name: SPARK_MODEL_ENGINE,
  train: async (spec, input, onProgress) => (await trainOnSpark(deps, spec, input, onProgress)).trained,
});
