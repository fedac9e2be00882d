// Kafka in KRaft mode from Maven Central jars, shared by the `kafka` (one node) and `kafka3`
// (three brokers, replication factor 3, min.insync.replicas 2) components. Both use the jars
// installed once under the `kafka` component's folder; each keeps its own data, logs and pids.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { lagClause } from './consumerLag.mjs';
import { installJars } from './maven.mjs';
import { runningPid, startDetached, stopByPidFile } from './processes.mjs';
import { portOpen, waitFor } from './wait.mjs';

const run = promisify(execFile);

/** Kafka 4.1.1 with a log4j2 SLF4J binding: without a binding the broker logs nothing at all. */
const DEPENDENCIES = [
  { group: 'org.apache.kafka', artifact: 'kafka_2.13', version: '4.1.1' },
  { group: 'org.apache.logging.log4j', artifact: 'log4j-core', version: '2.24.3' },
  { group: 'org.apache.logging.log4j', artifact: 'log4j-slf4j2-impl', version: '2.24.3' },
  // Pinned: without it Maven picks slf4j-api 1.7 and the log4j2 binding is ignored.
  { group: 'org.slf4j', artifact: 'slf4j-api', version: '2.0.16' },
];

const LOG4J2 = `Configuration:
  Appenders:
    Console: { name: STDOUT, PatternLayout: { pattern: "[%d] %p %m (%c)%n" } }
  Loggers:
    Root: { level: INFO, AppenderRef: [ { ref: STDOUT } ] }
    Logger: [ { name: org.apache.kafka, level: WARN } ]
`;

const START_TIMEOUT_MS = 120_000;

/** Where the jars live: always the `kafka` component's folder, so `kafka3` reuses them. */
const installDir = (settings) => path.join(settings.stackDir, 'kafka');

export const installKafka = async ({ settings, log }) => {
  const dir = installDir(settings);
  await installJars({ dir, name: 'kafka-broker', dependencies: DEPENDENCIES, log });
  writeFileSync(path.join(dir, 'log4j2.yaml'), LOG4J2);
};

const javaArgs = (settings, heap) => [
  `-Xms${heap}`,
  `-Xmx${heap}`,
  '-XX:+UseG1GC',
  `-Dlog4j2.configurationFile=${path.join(installDir(settings), 'log4j2.yaml')}`,
  '-cp',
  `${path.join(installDir(settings), 'lib')}/*`,
];

/**
 * One node per entry of `nodes` ({ id, port, controllerPort }); `replication` 1 or 3. The
 * cluster-wide settings follow the replication: with 3 brokers every internal topic is
 * replicated 3 times and a write needs 2 in-sync replicas.
 */
const serverProperties = ({ host, node, nodes, dataDir, replication }) => {
  const voters = nodes.map((n) => `${n.id}@${host}:${n.controllerPort}`).join(',');
  const minIsr = replication >= 3 ? 2 : 1;
  return `process.roles=broker,controller
node.id=${node.id}
controller.quorum.voters=${voters}
listeners=PLAINTEXT://${host}:${node.port},CONTROLLER://${host}:${node.controllerPort}
advertised.listeners=PLAINTEXT://${host}:${node.port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${dataDir}
num.partitions=3
default.replication.factor=${replication}
min.insync.replicas=${minIsr}
offsets.topic.replication.factor=${replication}
transaction.state.log.replication.factor=${replication}
transaction.state.log.min.isr=${minIsr}
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
# A dead broker is noticed in about 3 s instead of about 10 s: failover stalls producers less.
broker.heartbeat.interval.ms=500
broker.session.timeout.ms=3000
`;
};

const nodeFiles = (dir, node) => ({
  config: path.join(dir, `server-${node.id}.properties`),
  data: path.join(dir, 'data', `node-${node.id}`),
  log: path.join(dir, `kafka-${node.id}.log`),
  pid: path.join(dir, `kafka-${node.id}.pid`),
});

const clusterIdFile = (dir) => path.join(dir, 'cluster-id');

const clusterId = async (settings, dir) => {
  const file = clusterIdFile(dir);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const { stdout } = await run('java', [...javaArgs(settings, '128m'), 'kafka.tools.StorageTool', 'random-uuid'], { timeout: 60_000 });
  const id = stdout.trim().split('\n').at(-1).trim(); // a log line may come first
  writeFileSync(file, id);
  return id;
};

/** Starts every node not already running, then waits until each says it started. */
export const startBrokers = async ({ settings, dir, log }, { nodes, replication, heap }) => {
  const host = settings.host;
  const id = await clusterId(settings, dir);
  const started = [];
  for (const node of nodes) {
    const f = nodeFiles(dir, node);
    if (runningPid(f.pid) !== undefined) continue;
    if (await portOpen(host, node.port)) {
      throw new Error(`kafka node ${node.id}: port ${node.port} is taken by another process; pick another with the port variables (deploy/local/lib/settings.mjs)`);
    }
    mkdirSync(f.data, { recursive: true });
    writeFileSync(f.config, serverProperties({ host, node, nodes, dataDir: f.data, replication }));
    try {
      await run('java', [...javaArgs(settings, '128m'), 'kafka.tools.StorageTool', 'format', '-t', id, '-c', f.config, '--ignore-formatted'], {
        timeout: 60_000,
      });
    } catch (e) {
      throw new Error(`kafka node ${node.id}: formatting ${f.data} failed: ${(e.stderr || e.message).split('\n').slice(-10).join('\n')}`);
    }
    // A fresh log per start, so the readiness line found below is this start's.
    writeFileSync(f.log, '');
    startDetached({ cmd: 'java', args: [...javaArgs(settings, heap), 'kafka.Kafka', f.config], logFile: f.log, pidFile: f.pid });
    started.push({ node, f });
    log(`node ${node.id} starting on ${host}:${node.port} (log ${f.log})`);
  }
  for (const { node, f } of started) {
    await waitFor({
      what: `kafka node ${node.id} on ${host}:${node.port}`,
      check: async () => readFileSync(f.log, 'utf8').includes('Kafka Server started') && (await portOpen(host, node.port)),
      stillRunning: () => runningPid(f.pid) !== undefined,
      timeoutMs: START_TIMEOUT_MS,
      logFile: f.log,
    });
  }
};

export const stopBrokers = async ({ dir, log }, { nodes }) => {
  for (const node of nodes) {
    if (await stopByPidFile(nodeFiles(dir, node).pid, 20_000)) log(`node ${node.id} stopped`);
  }
};

export const brokersStatus = async ({ settings, dir }, { nodes, name }) => {
  const up = [];
  for (const node of nodes) {
    if (runningPid(nodeFiles(dir, node).pid) !== undefined && (await portOpen(settings.host, node.port))) up.push(node);
  }
  const brokers = nodes.map((n) => `${settings.host}:${n.port}`);
  const ok = up.length === nodes.length;
  return {
    ok,
    detail: ok ? `${nodes.length} broker(s) on ${brokers.join(', ')}; ${await lagClause(brokers)}` : `${up.length} of ${nodes.length} broker(s) up; logs in ${dir}`,
    // pidFiles: fault tests SIGKILL one broker by its recorded pid.
    endpoints: ok ? { [name]: { url: brokers[0], brokers, pidFiles: nodes.map((n) => nodeFiles(dir, n).pid) } } : undefined,
  };
};
