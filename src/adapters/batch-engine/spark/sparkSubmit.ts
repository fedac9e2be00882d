/**
 * Runs one of spark-jobs' jobs with spark-submit against a master (a standalone cluster's
 * `spark://` URL or `local[*]`). The Python of the project's venv runs the driver and the
 * executors' workers, which import `tickvault_jobs` from it; connector jars go with --jars.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface SparkEndpoint {
  /** Master URL: `spark://host:port` or `local[N]`. */
  readonly url: string;
  readonly python: string;
  readonly sparkHome: string;
  readonly jars: readonly string[];
  /** The spark-jobs folder (holds run_job.py). */
  readonly jobs: string;
  /**
   * Settings the cluster's operator gives every job (what spark-defaults.conf holds), e.g. the
   * shuffle partitions sized to the cluster's cores; a job's own `conf` wins over them.
   */
  readonly conf?: Readonly<Record<string, string>>;
}

export interface SparkRunOptions {
  readonly timeoutMs: number;
  /** Lines of the job's stderr, as they come (progress for a person). */
  readonly onLine?: (line: string) => void;
  readonly conf?: Readonly<Record<string, string>>;
}

export class SparkJobError extends Error {
  constructor(
    message: string,
    readonly job: string,
    readonly stderrTail: string,
  ) {
    super(message);
    this.name = 'SparkJobError';
  }
}

export const isSparkJobError = (e: unknown): e is SparkJobError => e instanceof SparkJobError;

/** A job started in its own process group: `done` settles when it ends; `kill` stops the whole group. */
export interface SparkJobRun {
  readonly pid: number;
  readonly done: Promise<void>;
  /** SIGKILLs the job's process group (spark-submit's JVM, the driver's Python and its workers). */
  kill(): void;
}

/**
 * Starts `job` (a module of tickvault_jobs: `export`, `batch_views`...) with `args`; `done`
 * rejects on failure, on a kill or past the timeout. The executors import `tickvault_jobs` from
 * the same folder as the driver (`spark.executorEnv.PYTHONPATH`), not from whatever checkout the
 * venv was installed from.
 */
export const startSparkJob = (endpoint: SparkEndpoint, job: string, args: readonly string[], options: SparkRunOptions): SparkJobRun => {
  const conf = { 'spark.ui.enabled': 'false', 'spark.executorEnv.PYTHONPATH': endpoint.jobs, ...endpoint.conf, ...options.conf };
  const submitArgs = [
    '--master', endpoint.url,
    ...(endpoint.jars.length > 0 ? ['--jars', endpoint.jars.join(',')] : []),
    ...Object.entries(conf).flatMap(([k, v]) => ['--conf', `${k}=${v}`]),
    path.join(endpoint.jobs, 'run_job.py'), job, ...args,
  ];
  const child = spawn(path.join(endpoint.sparkHome, 'bin', 'spark-submit'), submitArgs, {
    env: { ...process.env, SPARK_HOME: endpoint.sparkHome, PYSPARK_PYTHON: endpoint.python, PYSPARK_DRIVER_PYTHON: endpoint.python, SPARK_LOCAL_IP: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so a kill stops the JVM and its Python workers too
  });
  const kill = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  const done = new Promise<void>((resolve, reject) => {
    const tail: string[] = [];
    let partial = '';
    const onData = (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 40) tail.shift();
        options.onLine?.(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => {
      kill();
      reject(new SparkJobError(`spark job ${job} timed out after ${Math.round(options.timeoutMs / 1000)} s`, job, tail.join('\n')));
    }, options.timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new SparkJobError(`spark job ${job} could not start: ${e.message} (is the spark venv installed? npm run stack -- up spark)`, job, ''));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new SparkJobError(`spark job ${job} failed (${signal ?? `exit ${code}`}); last lines:\n${tail.join('\n')}`, job, tail.join('\n')));
    });
  });
  return { pid: child.pid!, done, kill };
};

/** Runs `job` to its end (see startSparkJob); rejects on failure or timeout. */
export const runSparkJob = (endpoint: SparkEndpoint, job: string, args: readonly string[], options: SparkRunOptions): Promise<void> =>
  startSparkJob(endpoint, job, args, options).done;
