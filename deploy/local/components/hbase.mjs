// HBase 2.6.1 standalone (master, region server and ZooKeeper in one JVM) plus its REST gateway,
// on loopback, its root folder on the stack's HDFS (TICKVAULT_HBASE_ROOT=local: a local folder).
// The -hadoop3 jars with hbase.wal.hsync=true fsync the write-ahead log; the REST jar is only
// served as plain 2.6.1, so it comes without its HBase and Hadoop dependencies.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clientConf, hdfsUri, writeAndRead } from '../lib/hdfsCluster.mjs';
import { stackHdfs } from './hdfs.mjs';
import { installJars } from '../lib/maven.mjs';
import { runningPid, startDetached, stopByPidFile } from '../lib/processes.mjs';
import { portOpen, waitFor } from '../lib/wait.mjs';

const DEPENDENCIES = [
  { group: 'org.apache.hbase', artifact: 'hbase-server', version: '2.6.1-hadoop3' },
  { group: 'org.apache.hbase', artifact: 'hbase-mapreduce', version: '2.6.1-hadoop3' },
  { group: 'org.apache.hbase', artifact: 'hbase-rest', version: '2.6.1', excludeAll: ['org.apache.hbase', 'org.apache.hadoop'] },
];

/** Two JVMs starting on two shared cores: minutes, not seconds, on a loaded machine. */
const START_TIMEOUT_MS = 180_000;

const LOG4J = `log4j.rootLogger=INFO,console
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%d{ISO8601} %-5p [%t] %c{2}: %m%n
log4j.logger.org.apache.zookeeper=WARN
log4j.logger.org.apache.hadoop=WARN
log4j.logger.org.apache.hadoop.hbase=INFO
`;

const property = (name, value) => ` <property><name>${name}</name><value>${value}</value></property>`;

/** HBase's root folder on the stack's HDFS, with the settings its HDFS client needs; else a local folder. */
const rootDir = ({ settings, dir }) => {
  if (settings.hbaseRoot === 'local') return { url: `file://${path.join(dir, 'data', 'hbase')}`, zk: 'zk', clientConf: {} };
  const cluster = stackHdfs(settings);
  // ZooKeeper remembers where hbase:meta lives: a folder of its own per root, so switching roots starts clean.
  return { url: `${hdfsUri(settings, cluster)}/hbase`, zk: 'zk-hdfs', clientConf: clientConf(cluster), cluster };
};

const hbaseSite = ({ settings, dir }, root) => {
  const { host, ports } = settings;
  const data = path.join(dir, 'data');
  return `<configuration>
${[
  ['hbase.cluster.distributed', 'false'],
  ['hbase.rootdir', root.url],
  ...Object.entries(root.clientConf),
  ['hbase.tmp.dir', path.join(data, 'tmp')],
  ['hbase.zookeeper.quorum', host],
  ['hbase.zookeeper.property.clientPort', ports.hbaseZookeeper],
  ['hbase.zookeeper.property.dataDir', path.join(data, root.zk)],
  ['hbase.master.hostname', host],
  ['hbase.regionserver.hostname', host],
  ['hbase.master.port', ports.hbaseMaster],
  ['hbase.regionserver.port', ports.hbaseRegionServer],
  // No web UIs: fewer ports to collide with, nothing to serve.
  ['hbase.master.info.port', '-1'],
  ['hbase.regionserver.info.port', '-1'],
  ['hbase.master.info.bindAddress', host],
  ['hbase.regionserver.info.bindAddress', host],
  // Every WAL sync is an fsync (on HDFS: hsync on every DataNode of the block): an acknowledged
  // write survives a machine crash, not only a JVM kill.
  ['hbase.wal.hsync', 'true'],
  ['hbase.rest.host', host],
  ['hbase.rest.port', ports.hbaseRest],
  ['hbase.rest.info.port', '-1'],
]
  .map(([n, v]) => property(n, v))
  .join('\n')}
</configuration>
`;
};

/** HBase's own JVM flags for Java 11+. */
const jvmFlags = (conf, heap) => [
  `-Xmx${heap}`,
  '-XX:+UseG1GC',
  '-Djava.net.preferIPv4Stack=true',
  `-Dlog4j.configuration=file:${path.join(conf, 'log4j.properties')}`,
  '-Dorg.apache.hbase.thirdparty.io.netty.tryReflectionSetAccessible=true',
  '--add-modules', 'jdk.unsupported',
  ...['java.io', 'java.nio', 'sun.nio.ch', 'java.lang', 'jdk.internal.ref', 'java.lang.reflect', 'java.util', 'java.util.concurrent'].flatMap(
    (p) => ['--add-opens', `java.base/${p}=ALL-UNNAMED`],
  ),
  ...['java.base/jdk.internal.misc', 'java.security.jgss/sun.security.krb5', 'java.base/sun.net.dns', 'java.base/sun.net.util'].flatMap(
    (p) => ['--add-exports', `${p}=ALL-UNNAMED`],
  ),
];

const files = (dir) => ({
  conf: path.join(dir, 'conf'),
  lib: path.join(dir, 'lib'),
  masterLog: path.join(dir, 'hbase-master.log'),
  masterPid: path.join(dir, 'hbase-master.pid'),
  restLog: path.join(dir, 'hbase-rest.log'),
  restPid: path.join(dir, 'hbase-rest.pid'),
});

const restUrl = (settings) => `http://${settings.host}:${settings.ports.hbaseRest}`;

/** The gateway answers and reaches the cluster: a table listing needs the master and META. */
const restHealthy = async (settings) => {
  const res = await fetch(`${restUrl(settings)}/`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(5_000) });
  return res.ok;
};

const start = async ({ settings, dir, log }) => {
  const f = files(dir);
  const cp = `${f.conf}:${f.lib}/*`;
  const { host, ports } = settings;
  if (runningPid(f.masterPid) === undefined) {
    for (const port of [ports.hbaseZookeeper, ports.hbaseMaster, ports.hbaseRegionServer]) {
      if (await portOpen(host, port)) throw new Error(`hbase: port ${port} is taken by another process; pick others with TICKVAULT_HBASE_*_PORT`);
    }
    writeFileSync(f.masterLog, '');
    startDetached({ cmd: 'java', args: [...jvmFlags(f.conf, '1g'), '-cp', cp, 'org.apache.hadoop.hbase.master.HMaster', 'start'], logFile: f.masterLog, pidFile: f.masterPid });
    log(`master starting (up to ${START_TIMEOUT_MS / 1000} s on a busy machine; log ${f.masterLog})`);
    await waitFor({
      what: 'hbase master',
      check: async () => readFileSync(f.masterLog, 'utf8').includes('Master has completed initialization'),
      stillRunning: () => runningPid(f.masterPid) !== undefined,
      timeoutMs: START_TIMEOUT_MS,
      logFile: f.masterLog,
      intervalMs: 500,
    });
  }
  if (runningPid(f.restPid) === undefined) {
    // A leftover gateway would keep answering while the new one dies with BindException.
    if (await portOpen(host, ports.hbaseRest)) throw new Error(`hbase rest: port ${ports.hbaseRest} is taken by another process; set TICKVAULT_HBASE_REST_PORT`);
    writeFileSync(f.restLog, '');
    startDetached({ cmd: 'java', args: [...jvmFlags(f.conf, '512m'), '-cp', cp, 'org.apache.hadoop.hbase.rest.RESTServer', 'start'], logFile: f.restLog, pidFile: f.restPid });
    log(`REST gateway starting on ${restUrl(settings)} (log ${f.restLog})`);
  }
  await waitFor({
    what: `hbase REST gateway on ${restUrl(settings)}`,
    check: () => restHealthy(settings),
    stillRunning: () => runningPid(f.restPid) !== undefined,
    timeoutMs: START_TIMEOUT_MS,
    logFile: f.restLog,
    intervalMs: 500,
  });
};

export default {
  name: 'hbase',
  order: 40,
  describe: 'HBase 2.6.1 standalone (hadoop3 build, fsynced WAL, root folder on HDFS) + REST gateway, from Maven Central jars, on loopback',
  async install({ dir, log }) {
    await installJars({ dir, name: 'hbase-standalone', dependencies: DEPENDENCIES, log });
  },
  async start(ctx) {
    const f = files(ctx.dir);
    const root = rootDir(ctx);
    if (root.cluster !== undefined && !(await writeAndRead(ctx.settings, root.cluster))) {
      throw new Error(`hbase: its root folder ${root.url} is on HDFS, which does not answer: start it first (npm run stack -- up hdfs hbase), or keep HBase on the local disk with TICKVAULT_HBASE_ROOT=local`);
    }
    mkdirSync(f.conf, { recursive: true });
    writeFileSync(path.join(f.conf, 'hbase-site.xml'), hbaseSite(ctx, root));
    writeFileSync(path.join(f.conf, 'log4j.properties'), LOG4J);
    await start(ctx);
  },
  async stop({ dir, log }) {
    const f = files(dir);
    if (await stopByPidFile(f.restPid, 15_000)) log('REST gateway stopped');
    // SIGTERM lets the master flush and close its regions (about 25 s); SIGKILL only past that.
    if (await stopByPidFile(f.masterPid, 60_000)) log('master stopped');
  },
  async status({ settings, dir }) {
    const f = files(dir);
    const master = runningPid(f.masterPid) !== undefined;
    const rest = runningPid(f.restPid) !== undefined && (await restHealthy(settings).catch(() => false));
    const ok = master && rest;
    return {
      ok,
      detail: ok ? `master + REST on ${restUrl(settings)}, root folder ${rootDir({ settings, dir }).url}` : `master ${master ? 'running' : 'down'}, REST ${rest ? 'answering' : 'down'}; logs in ${dir}`,
      // pidFiles: the fault tests stop and restart the servers by their recorded pids.
      endpoints: ok ? { hbase: { url: restUrl(settings), pidFiles: [f.masterPid, f.restPid] } } : undefined,
    };
  },
};
