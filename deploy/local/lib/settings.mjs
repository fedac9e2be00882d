// Where the local stack lives and which loopback ports it uses. Every value can be overridden by
// an environment variable, so two stacks (a developer's and a test run's) never collide.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const int = (name, fallback) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`${name}=${raw}: expected a port number 1-65535`);
  return n;
};

const choice = (name, raw, allowed) => {
  const value = raw === undefined || raw === '' ? allowed[0] : raw;
  if (!allowed.includes(value)) throw new Error(`${name}=${raw}: expected one of ${allowed.join(', ')}`);
  return value;
};

export const loadSettings = (env = process.env) => ({
  /** All installs, data and logs of the stack, under one folder. */
  stackDir: path.resolve(repoRoot, env.TICKVAULT_STACK_DIR || '.stack'),
  host: '127.0.0.1',
  /** Where HBase keeps its root folder: on the stack's HDFS (the design's layout) or a local folder. */
  hbaseRoot: choice('TICKVAULT_HBASE_ROOT', env.TICKVAULT_HBASE_ROOT, ['hdfs', 'local']),
  ports: {
    redis: int('TICKVAULT_REDIS_PORT', 16379),
    postgres: int('TICKVAULT_POSTGRES_PORT', 15432),
    kafka: int('TICKVAULT_KAFKA_PORT', 19092),
    kafkaController: int('TICKVAULT_KAFKA_CONTROLLER_PORT', 19093),
    /** The 3-broker cluster: node N listens on this + 10·(N-1), its controller on that + 1. */
    kafka3: int('TICKVAULT_KAFKA3_PORT', 29092),
    /** HDFS: the NameNode's RPC on this port, its web UI (WebHDFS, JMX) one above; DataNode N on this + 10·N (data), + 1 (http), + 2 (ipc). */
    hdfs: int('TICKVAULT_HDFS_PORT', 19000),
    /** The three-DataNode HDFS (replication 3), numbered as above. */
    hdfs3: int('TICKVAULT_HDFS3_PORT', 29000),
    hbaseZookeeper: int('TICKVAULT_HBASE_ZK_PORT', 12181),
    hbaseMaster: int('TICKVAULT_HBASE_MASTER_PORT', 16000),
    hbaseRegionServer: int('TICKVAULT_HBASE_REGIONSERVER_PORT', 16020),
    hbaseRest: int('TICKVAULT_HBASE_REST_PORT', 18080),
    sparkMaster: int('TICKVAULT_SPARK_MASTER_PORT', 17077),
    sparkMasterUi: int('TICKVAULT_SPARK_MASTER_UI_PORT', 18090),
    /** Worker N's web UI listens on sparkWorkerUi + N - 1. */
    sparkWorkerUi: int('TICKVAULT_SPARK_WORKER_UI_PORT', 18091),
  },
});
