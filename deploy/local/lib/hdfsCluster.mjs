// HDFS 3.3.5 (the Hadoop that HBase 2.6.1-hadoop3 already brings) from Maven Central jars: one
// NameNode and N DataNodes on loopback, formatted once, each JVM tracked by its pid file. Health
// is a real write and read through WebHDFS; status reads the NameNode's own metrics (JMX).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { installJars } from './maven.mjs';
import { runningPid, startDetached, stopByPidFile } from './processes.mjs';
import { portOpen, waitFor } from './wait.mjs';

const run = promisify(execFile);

export const HADOOP_VERSION = '3.3.5';

const DEPENDENCIES = [
  { group: 'org.apache.hadoop', artifact: 'hadoop-hdfs', version: HADOOP_VERSION },
  // A "provided" dependency of hadoop-hdfs: without it the NameNode dies with NoClassDefFoundError: ClientProtocol.
  { group: 'org.apache.hadoop', artifact: 'hadoop-hdfs-client', version: HADOOP_VERSION },
  { group: 'org.apache.hadoop', artifact: 'hadoop-common', version: HADOOP_VERSION },
];

/** JVMs starting on two shared, busy cores: the recipe saw 25 s; allow for a loaded machine. */
const START_TIMEOUT_MS = 180_000;

/** The user every stack client writes as (permissions are off: a loopback development cluster). */
export const HDFS_USER = 'tickvault';

// Without a log4j.properties on the classpath the daemons die with no output at all.
const LOG4J = `log4j.rootLogger=INFO,console
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%d{ISO8601} %-5p [%t] %c{2}: %m%n
log4j.logger.org.apache.hadoop.hdfs.StateChange=WARN
log4j.logger.org.apache.hadoop.hdfs.server.namenode.FSNamesystem.audit=WARN
log4j.logger.org.apache.hadoop.hdfs.server.datanode.DataNode.clienttrace=WARN
log4j.logger.org.eclipse.jetty=WARN
`;

/** The daemons refuse to start unless `webapps/<name>` is on the classpath; an empty web app will do. */
const WEBAPPS = ['hdfs', 'datanode', 'secondary'];

const property = (name, value) => ` <property><name>${name}</name><value>${value}</value></property>`;
const configuration = (entries) => `<configuration>\n${entries.map(([n, v]) => property(n, v)).join('\n')}\n</configuration>\n`;

/**
 * A cluster of `dataNodes` DataNodes, every block on each of them: the NameNode's RPC on
 * `basePort`, its web server (WebHDFS, JMX) one above; DataNode N on basePort + 10·N (data
 * transfer), + 1 (http), + 2 (ipc).
 */
export const hdfsCluster = (basePort, dataNodes) => ({
  nameNode: { rpc: basePort, http: basePort + 1 },
  dataNodes: Array.from({ length: dataNodes }, (_, i) => ({ id: i + 1, data: basePort + 10 * (i + 1), http: basePort + 10 * (i + 1) + 1, ipc: basePort + 10 * (i + 1) + 2 })),
  replication: dataNodes,
});

/** The paths under `dir` every process of the cluster uses. */
const files = (dir) => ({
  lib: path.join(dir, 'lib'),
  conf: path.join(dir, 'conf'),
  web: path.join(dir, 'web'),
  home: path.join(dir, 'home'),
  nameDir: path.join(dir, 'data', 'name'),
  formatted: path.join(dir, 'data', 'name', 'current', 'VERSION'),
  nameNodeLog: path.join(dir, 'namenode.log'),
  nameNodePid: path.join(dir, 'namenode.pid'),
  dataNodeConf: (id) => path.join(dir, `conf-dn${id}`),
  dataNodeDir: (id) => path.join(dir, 'data', `dn${id}`),
  dataNodeLog: (id) => path.join(dir, `datanode${id}.log`),
  dataNodePid: (id) => path.join(dir, `datanode${id}.pid`),
});

export const hdfsUri = (settings, cluster) => `hdfs://${settings.host}:${cluster.nameNode.rpc}`;
const webUrl = (settings, cluster) => `http://${settings.host}:${cluster.nameNode.http}`;

/**
 * Settings every client of this cluster needs besides the URI (Spark passes them as
 * `spark.hadoop.*`, HBase puts them in hbase-site.xml): the replication to ask for, and, on a
 * cluster of exactly `replication` DataNodes, carrying on with the survivors when one dies
 * mid-write (there is no spare node to put in its place).
 */
export const clientConf = (cluster) => ({
  'dfs.replication': String(cluster.replication),
  'dfs.client.block.write.replace-datanode-on-failure.best-effort': 'true',
});

const coreSite = (settings, cluster) => configuration([['fs.defaultFS', hdfsUri(settings, cluster)]]);

const hdfsSite = ({ settings, dir }, cluster, dataNode) => {
  const f = files(dir);
  const { host } = settings;
  const common = [
    ['dfs.replication', cluster.replication],
    ['dfs.permissions.enabled', 'false'],
    ['dfs.namenode.name.dir', f.nameDir],
    ['dfs.namenode.rpc-bind-host', host],
    ['dfs.namenode.http-address', `${host}:${cluster.nameNode.http}`],
    ['dfs.namenode.https-address', `${host}:0`],
    ['dfs.namenode.secondary.http-address', `${host}:0`],
    ['dfs.namenode.servicerpc-bind-host', host],
    // A SIGKILLed DataNode is avoided within seconds and declared dead within about half a
    // minute (the defaults are 30 s and 10.5 min), so its blocks are re-replicated while a test watches.
    ['dfs.heartbeat.interval', '1'],
    ['dfs.namenode.heartbeat.recheck-interval', '10000'],
    ['dfs.namenode.stale.datanode.interval', '5000'],
    ['dfs.namenode.avoid.read.stale.datanode', 'true'],
    ['dfs.namenode.avoid.write.stale.datanode', 'true'],
    ['dfs.namenode.replication.min', '1'],
    // Out of safe mode as soon as the blocks are reported, not 30 s later: nobody else is joining.
    ['dfs.namenode.safemode.extension', '0'],
    // Loopback DataNodes register as 127.0.0.1, which the WebHDFS redirects then name.
    ['dfs.namenode.datanode.registration.ip-hostname-check', 'false'],
  ];
  const own = dataNode === undefined
    ? []
    : [
        ['dfs.datanode.data.dir', f.dataNodeDir(dataNode.id)],
        ['dfs.datanode.hostname', host],
        ['dfs.datanode.address', `${host}:${dataNode.data}`],
        ['dfs.datanode.http.address', `${host}:${dataNode.http}`],
        ['dfs.datanode.ipc.address', `${host}:${dataNode.ipc}`],
        ['dfs.datanode.https.address', `${host}:0`],
      ];
  return configuration([...common, ...own]);
};

const writeConf = (ctx, cluster) => {
  const f = files(ctx.dir);
  const confDirs = [[f.conf, undefined], ...cluster.dataNodes.map((dn) => [f.dataNodeConf(dn.id), dn])];
  for (const [conf, dataNode] of confDirs) {
    mkdirSync(conf, { recursive: true });
    writeFileSync(path.join(conf, 'core-site.xml'), coreSite(ctx.settings, cluster));
    writeFileSync(path.join(conf, 'hdfs-site.xml'), hdfsSite(ctx, cluster, dataNode));
    writeFileSync(path.join(conf, 'log4j.properties'), LOG4J);
  }
  for (const name of WEBAPPS) {
    const webInf = path.join(f.web, 'webapps', name, 'WEB-INF');
    mkdirSync(webInf, { recursive: true });
    writeFileSync(path.join(webInf, 'web.xml'), '<web-app/>\n');
  }
  mkdirSync(f.home, { recursive: true });
};

const java = (conf, f, heap, mainClass, args) => ({
  cmd: 'java',
  args: [
    `-Xmx${heap}`, '-XX:+UseG1GC', '-Djava.net.preferIPv4Stack=true',
    // Java 17: WebHDFS's JAXB (the JSON answers) defines classes through java.lang's internals.
    '--add-opens', 'java.base/java.lang=ALL-UNNAMED',
    '-cp', `${conf}:${f.web}:${f.lib}/*`, mainClass, ...args,
  ],
  env: { HADOOP_HOME: f.home, HADOOP_USER_NAME: HDFS_USER },
});

export const installHdfs = ({ dir, log }) => installJars({ dir, name: 'hdfs', dependencies: DEPENDENCIES, log });

/** Formats the NameNode's metadata folder the first time only: a second format would orphan every block. */
const formatOnce = async (f, log) => {
  if (existsSync(f.formatted)) return;
  log('formatting the NameNode (first start only)');
  const { cmd, args, env } = java(f.conf, f, '256m', 'org.apache.hadoop.hdfs.server.namenode.NameNode', ['-format', '-force', '-nonInteractive']);
  try {
    await run(cmd, args, { env: { ...process.env, ...env }, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 });
  } catch (e) {
    throw new Error(`hdfs: formatting the NameNode failed:\n${`${e.stdout ?? ''}${e.stderr ?? ''}`.split('\n').slice(-25).join('\n')}`);
  }
  if (!existsSync(f.formatted)) throw new Error(`hdfs: the format ran but ${f.formatted} is missing`);
};

const webHdfs = (settings, cluster, filePath, op) => `${webUrl(settings, cluster)}/webhdfs/v1${filePath}?op=${op}&user.name=${HDFS_USER}`;

/** One HTTP exchange with node:http: the DataNode answers a PUT with "100 Continue" first, which fetch rejects. */
const exchange = (url, method, body) =>
  new Promise((resolve, reject) => {
    const req = request(url, { method, timeout: 20_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, location: res.headers.location, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer in 20 s`)));
    req.on('error', reject);
    req.end(body);
  });

/** Follows WebHDFS's one redirect (NameNode → DataNode) by hand, sending the body only to the DataNode. */
const redirected = async (url, method, body) => {
  const first = await exchange(url, method);
  if (first.status !== 307 || first.location === undefined) throw new Error(`WebHDFS ${method} ${url}: HTTP ${first.status} ${first.text}`);
  return exchange(first.location, method, body);
};

/**
 * The cluster takes a file and gives it back: a write through the NameNode to the DataNodes
 * (`replication` of them must take the block) and a read of the same bytes. False otherwise.
 */
export const writeAndRead = async (settings, cluster) => {
  const file = `/tmp/tickvault-health/${process.pid}-${Date.now()}`;
  const body = `tickvault health ${file}`;
  try {
    const put = await redirected(`${webHdfs(settings, cluster, file, 'CREATE')}&overwrite=true`, 'PUT', body);
    if (put.status !== 201) return false;
    const get = await redirected(webHdfs(settings, cluster, file, 'OPEN'), 'GET');
    return get.status === 200 && get.text === body;
  } catch {
    return false;
  } finally {
    await exchange(webHdfs(settings, cluster, file, 'DELETE'), 'DELETE').catch(() => undefined);
  }
};

/** The NameNode's own figures (its JMX servlet): capacity, use, live DataNodes, block health. */
export const nameNodeMetrics = async (settings, cluster) => {
  const bean = async (name) => {
    const res = await fetch(`${webUrl(settings, cluster)}/jmx?qry=Hadoop:service=NameNode,name=${name}`, { signal: AbortSignal.timeout(3_000) });
    if (!res.ok) throw new Error(`NameNode JMX ${name}: HTTP ${res.status}`);
    const found = (await res.json()).beans?.[0];
    if (found === undefined) throw new Error(`NameNode JMX ${name}: no such bean`);
    return found;
  };
  const [fs, state] = await Promise.all([bean('FSNamesystem'), bean('FSNamesystemState')]);
  return {
    capacityBytes: fs.CapacityTotal,
    usedBytes: fs.CapacityUsed,
    liveDataNodes: state.NumLiveDataNodes,
    deadDataNodes: state.NumDeadDataNodes,
    underReplicatedBlocks: fs.UnderReplicatedBlocks,
    missingBlocks: fs.MissingBlocks,
  };
};

const ensurePortsFree = async (settings, ports, variable) => {
  for (const port of ports) {
    if (await portOpen(settings.host, port)) throw new Error(`hdfs: port ${port} is taken by another process; pick others with ${variable}`);
  }
};

export const startHdfs = async (ctx, cluster, { portVariables }) => {
  const { settings, dir, log } = ctx;
  const f = files(dir);
  writeConf(ctx, cluster);
  await formatOnce(f, log);
  if (runningPid(f.nameNodePid) === undefined) {
    await ensurePortsFree(settings, [cluster.nameNode.rpc, cluster.nameNode.http], portVariables);
    writeFileSync(f.nameNodeLog, '');
    startDetached({ ...java(f.conf, f, '384m', 'org.apache.hadoop.hdfs.server.namenode.NameNode', []), logFile: f.nameNodeLog, pidFile: f.nameNodePid });
    log(`NameNode starting on ${hdfsUri(settings, cluster)} (log ${f.nameNodeLog})`);
  }
  for (const dn of cluster.dataNodes) {
    if (runningPid(f.dataNodePid(dn.id)) !== undefined) continue;
    await ensurePortsFree(settings, [dn.data, dn.http, dn.ipc], portVariables);
    mkdirSync(f.dataNodeDir(dn.id), { recursive: true });
    writeFileSync(f.dataNodeLog(dn.id), '');
    const started = java(f.dataNodeConf(dn.id), f, '256m', 'org.apache.hadoop.hdfs.server.datanode.DataNode', []);
    startDetached({ ...started, logFile: f.dataNodeLog(dn.id), pidFile: f.dataNodePid(dn.id) });
    log(`DataNode ${dn.id} starting on ${settings.host}:${dn.data} (log ${f.dataNodeLog(dn.id)})`);
  }
  await waitFor({
    what: `hdfs NameNode on ${webUrl(settings, cluster)}`,
    check: async () => (await nameNodeMetrics(settings, cluster)).capacityBytes >= 0,
    stillRunning: () => runningPid(f.nameNodePid) !== undefined,
    timeoutMs: START_TIMEOUT_MS,
    logFile: f.nameNodeLog,
    intervalMs: 500,
  });
  for (const dn of cluster.dataNodes) {
    await waitFor({
      what: `hdfs: ${cluster.dataNodes.length} DataNode(s) registered with the NameNode`,
      check: async () => (await nameNodeMetrics(settings, cluster)).liveDataNodes >= cluster.dataNodes.length,
      stillRunning: () => runningPid(f.dataNodePid(dn.id)) !== undefined,
      timeoutMs: START_TIMEOUT_MS,
      logFile: f.dataNodeLog(dn.id),
      intervalMs: 500,
    });
  }
  // The NameNode leaves safe mode once its blocks are reported; a write before that is refused.
  await waitFor({
    what: `hdfs: a write and read of a test file through ${webUrl(settings, cluster)}`,
    check: () => writeAndRead(settings, cluster),
    timeoutMs: START_TIMEOUT_MS,
    logFile: f.nameNodeLog,
    intervalMs: 1_000,
  });
};

export const stopHdfs = async ({ dir, log }, cluster) => {
  const f = files(dir);
  for (const dn of [...cluster.dataNodes].reverse()) if (await stopByPidFile(f.dataNodePid(dn.id), 20_000)) log(`DataNode ${dn.id} stopped`);
  if (await stopByPidFile(f.nameNodePid, 30_000)) log('NameNode stopped');
};

const gib = (bytes) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

export const hdfsStatus = async ({ settings, dir }, cluster, name) => {
  const f = files(dir);
  const pids = [f.nameNodePid, ...cluster.dataNodes.map((dn) => f.dataNodePid(dn.id))];
  const metrics = await nameNodeMetrics(settings, cluster).catch(() => undefined);
  if (runningPid(f.nameNodePid) === undefined || metrics === undefined) return { ok: false, detail: `NameNode down (${hdfsUri(settings, cluster)}); logs in ${dir}` };
  const healthy = await writeAndRead(settings, cluster);
  // Every recorded process running, not only the NameNode's count: it counts a killed DataNode as
  // live for half a minute, and `up` must then start it again.
  const down = cluster.dataNodes.filter((dn) => runningPid(f.dataNodePid(dn.id)) === undefined).map((dn) => `DataNode ${dn.id}`);
  const ok = healthy && down.length === 0 && metrics.liveDataNodes >= cluster.dataNodes.length;
  const figures = `${gib(metrics.usedBytes)} used of ${gib(metrics.capacityBytes)}, ${metrics.liveDataNodes}/${cluster.dataNodes.length} DataNodes live, `
    + `${metrics.underReplicatedBlocks} under-replicated block(s), ${metrics.missingBlocks} missing`;
  return {
    ok,
    detail: `${hdfsUri(settings, cluster)}: ${figures}${down.length === 0 ? '' : `; ${down.join(', ')} not running`}${healthy ? '' : `; a test write and read FAILED (logs in ${dir})`}`,
    metrics,
    endpoints: ok
      ? {
          [name]: {
            url: hdfsUri(settings, cluster),
            webUrl: webUrl(settings, cluster),
            user: HDFS_USER,
            replication: cluster.replication,
            clientConf: clientConf(cluster),
            // pidFiles: NameNode first, then the DataNodes; fault tests SIGKILL a DataNode by its recorded pid.
            pidFiles: pids,
          },
        }
      : undefined,
  };
};

