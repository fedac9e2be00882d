// Spark 3.5.7 (PySpark) for the batch and speed layers: a project-local Python venv with
// spark-jobs installed, the Kafka connector jars from Maven Central, and a standalone cluster
// (one master, two one-core workers) started with spark-class on loopback.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../lib/settings.mjs';
import { runningPid, startDetached, stopByPidFile } from '../lib/processes.mjs';
import { waitFor } from '../lib/wait.mjs';

const SPARK_VERSION = '3.5.7';
const WORKERS = 2;
/** The only connector jars to pass: the rest of the Kafka source's dependencies ship inside pyspark. */
const CONNECTOR_JARS = [
  `spark-sql-kafka-0-10_2.12-${SPARK_VERSION}.jar`,
  `spark-token-provider-kafka-0-10_2.12-${SPARK_VERSION}.jar`,
  'kafka-clients-3.4.1.jar',
  'commons-pool2-2.11.1.jar',
];

const paths = (dir) => ({
  venv: path.join(dir, 'venv'),
  python: path.join(dir, 'venv', 'bin', 'python'),
  stamp: path.join(dir, 'venv', 'tickvault-jobs.installed'),
  jars: path.join(dir, 'jars'),
  work: path.join(dir, 'work'),
  masterPid: path.join(dir, 'master.pid'),
  masterLog: path.join(dir, 'master.log'),
  workerPid: (i) => path.join(dir, `worker${i}.pid`),
  workerLog: (i) => path.join(dir, `worker${i}.log`),
});

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 15 * 60_000, ...opts });

const sparkHome = (python) => run(python, ['-c', 'import os, pyspark; print(os.path.dirname(pyspark.__file__))']).toString().trim();

/** What the pip install depends on; a change re-runs it. */
const installFingerprint = () => readFileSync(path.join(repoRoot, 'spark-jobs', 'pyproject.toml'), 'utf8');

const installVenv = (p, log) => {
  if (existsSync(p.stamp) && readFileSync(p.stamp, 'utf8') === installFingerprint()) return;
  if (!existsSync(p.python)) {
    log('creating the Python venv');
    run('python3', ['-m', 'venv', p.venv]);
  }
  log(`pip install -e spark-jobs[dev] (pyspark ${SPARK_VERSION}, pandas, pyarrow; scipy for the tests; a few minutes the first time: pyspark alone is a 317 MB download and a wheel build)`);
  // Its own, longer limit: on a busy machine the download and the wheel build have taken over
  // 25 minutes, and a timeout here used to surface as a bare "spawnSync ... ETIMEDOUT".
  const limitMinutes = 45;
  try {
    run(p.python, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-e', `${path.join(repoRoot, 'spark-jobs')}[dev]`], { timeout: limitMinutes * 60_000 });
  } catch (e) {
    if (e?.code !== 'ETIMEDOUT') throw e;
    throw new Error(`spark: pip install of spark-jobs[dev] took longer than ${limitMinutes} minutes (a slow network or a busy machine); run the same command again: pip keeps what it has downloaded`);
  }
  writeFileSync(p.stamp, installFingerprint());
};

const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
 <groupId>local</groupId><artifactId>spark-connectors</artifactId><version>1</version><packaging>pom</packaging>
 <dependencies>
  <dependency><groupId>org.apache.spark</groupId><artifactId>spark-sql-kafka-0-10_2.12</artifactId><version>${SPARK_VERSION}</version></dependency>
 </dependencies></project>
`;

const installJars = (dir, p, log) => {
  if (CONNECTOR_JARS.every((j) => existsSync(path.join(p.jars, j)))) return;
  log('fetching the Kafka connector jars from Maven Central');
  const all = path.join(dir, 'jars-all');
  writeFileSync(path.join(dir, 'pom.xml'), pom);
  run('mvn', ['-B', '-q', '-f', path.join(dir, 'pom.xml'), 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${all}`]);
  mkdirSync(p.jars, { recursive: true });
  for (const j of CONNECTOR_JARS) {
    if (!existsSync(path.join(all, j))) throw new Error(`spark: ${j} was not among the jars Maven fetched (${readdirSync(all).length} jars in ${all})`);
    copyFileSync(path.join(all, j), path.join(p.jars, j));
  }
  rmSync(all, { recursive: true, force: true });
};

const env = (p, home) => ({ SPARK_HOME: home, PYSPARK_PYTHON: p.python, SPARK_LOCAL_IP: '127.0.0.1', SPARK_NO_DAEMONIZE: '1' });

const masterUrl = (s) => `spark://${s.host}:${s.ports.sparkMaster}`;

/** The master's own JSON status (its web UI): alive workers and their cores. */
const masterState = async (s) => {
  const res = await fetch(`http://${s.host}:${s.ports.sparkMasterUi}/json/`, { signal: globalThis.AbortSignal.timeout(2_000) });
  if (!res.ok) return undefined;
  return /** @type {{ status: string, aliveworkers: number, cores: number }} */ (await res.json());
};

export default {
  name: 'spark',
  order: 50,
  describe: `Spark ${SPARK_VERSION} standalone (master + ${WORKERS} workers) with the spark-jobs venv and Kafka connector jars`,

  async install({ dir, log }) {
    const p = paths(dir);
    installVenv(p, log);
    installJars(dir, p, log);
  },

  async start({ settings: s, dir, log }) {
    const p = paths(dir);
    const home = sparkHome(p.python);
    const sparkClass = path.join(home, 'bin', 'spark-class');
    if (runningPid(p.masterPid) === undefined) {
      log(`starting the master on ${masterUrl(s)}`);
      startDetached({
        cmd: sparkClass,
        args: ['org.apache.spark.deploy.master.Master', '--host', s.host, '--port', String(s.ports.sparkMaster), '--webui-port', String(s.ports.sparkMasterUi)],
        env: env(p, home),
        logFile: p.masterLog,
        pidFile: p.masterPid,
      });
    }
    await waitFor({
      what: 'spark master',
      check: async () => (await masterState(s))?.status === 'ALIVE',
      timeoutMs: 60_000,
      logFile: p.masterLog,
      stillRunning: () => runningPid(p.masterPid) !== undefined,
    });
    for (let i = 1; i <= WORKERS; i++) {
      if (runningPid(p.workerPid(i)) !== undefined) continue;
      const workDir = path.join(p.work, `worker${i}`);
      mkdirSync(workDir, { recursive: true });
      startDetached({
        cmd: sparkClass,
        args: [
          'org.apache.spark.deploy.worker.Worker', masterUrl(s), '--host', s.host, '--cores', '1', '--memory', '1g',
          '--webui-port', String(s.ports.sparkWorkerUi + i - 1), '--work-dir', workDir,
        ],
        env: env(p, home),
        logFile: p.workerLog(i),
        pidFile: p.workerPid(i),
      });
    }
    await waitFor({
      what: `spark workers (${WORKERS} registered with the master)`,
      check: async () => ((await masterState(s))?.aliveworkers ?? 0) >= WORKERS,
      timeoutMs: 90_000,
      logFile: p.workerLog(WORKERS),
    });
  },

  async stop({ dir }) {
    const p = paths(dir);
    for (let i = WORKERS; i >= 1; i--) await stopByPidFile(p.workerPid(i));
    await stopByPidFile(p.masterPid);
  },

  async status({ settings: s, dir }) {
    const p = paths(dir);
    const state = await masterState(s).catch(() => undefined);
    if (state === undefined || state.status !== 'ALIVE') return { ok: false, detail: `no master answering on ${s.host}:${s.ports.sparkMasterUi}` };
    // A master on these ports but no venv here: another stack folder's Spark, which this one cannot submit to.
    if (!existsSync(p.python)) return { ok: false, detail: `a master answers on ${masterUrl(s)}, but ${p.python} is not installed (npm run stack -- up spark)` };
    const ok = state.aliveworkers >= WORKERS;
    return {
      ok,
      detail: `master ${masterUrl(s)}, ${state.aliveworkers} workers alive, ${state.cores} cores`,
      endpoints: ok
        ? {
            spark: {
              url: masterUrl(s),
              python: p.python,
              sparkHome: sparkHome(p.python),
              jars: CONNECTOR_JARS.map((j) => path.join(p.jars, j)),
              jobs: path.join(repoRoot, 'spark-jobs'),
              // Spark's 200 default shuffle partitions suit a large cluster; on this one (two one-core
              // workers) each shuffle of a small view would write 200 blocks per task and plan 200
              // reducers. Two to three tasks a core is Spark's own tuning advice.
              conf: { 'spark.sql.shuffle.partitions': String(WORKERS * 2), 'spark.default.parallelism': String(WORKERS * 2) },
            },
          }
        : undefined,
    };
  },
};
