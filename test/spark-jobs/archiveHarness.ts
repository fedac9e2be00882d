/**
 * What the archive job's fault tests share: ledger events (and garbage) put on a fresh Kafka
 * topic, the job started on the standalone cluster with its lake and checkpoint on HDFS, a look
 * into the checkpoint and the sink's log over WebHDFS, and the lake read back the way the batch
 * jobs read it (honouring the sink's log), checked for every event exactly once.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { expect } from 'vitest';
import { startSparkJob, type SparkEndpoint, type SparkJobRun } from '../../src/adapters/batch-engine/spark/sparkSubmit.js';
import { encodeEvent } from '../../src/adapters/bus/eventMessage.js';
import { hdfsLake, sparkConfFor, type HdfsEndpoint, type LakeLocation } from '../../src/adapters/lake/lakeLocation.js';
import { createSimulatorSource } from '../../src/adapters/sources/simulator/simulatorSource.js';
import type { RecordedEvent } from '../../src/domain/events/envelope.js';
import { uniqueName } from '../contracts/polling.js';
import { openTestPlatform } from '../support/platform.js';
import { repoRoot } from '../support/sharedData.js';
import { webHdfs, type HdfsFolder } from '../support/webHdfs.js';

export const GARBAGE = ['not json at all', '{"position": 7}', '[1,2,3]'];

/** Ledger events as the relay puts them on the bus: simulator trades recorded by a real (embedded) ledger. */
export const recordedTrades = async (count: number): Promise<RecordedEvent[]> => {
  const { platform, cleanup } = await openTestPlatform();
  try {
    await platform.ingest(createSimulatorSource({ seed: 3, symbols: 4, tradesPerSecond: 20, startTime: Date.UTC(2024, 2, 1, 23, 58), maxTrades: count }), new AbortController().signal);
    const events: RecordedEvent[] = [];
    for (let after = 0; ; ) {
      const page = await platform.ledger.read(after, 5_000);
      if (page.length === 0) break;
      events.push(...page.filter((e) => e.type === 'TradeObserved'));
      after = page[page.length - 1]!.position;
    }
    return events;
  } finally {
    await cleanup();
  }
};

/** A fresh two-partition topic on the real broker. */
export interface ArchiveTopic {
  readonly name: string;
  send(events: readonly RecordedEvent[], garbage?: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export const openTopic = async (brokers: string[]): Promise<ArchiveTopic> => {
  const client = new Kafka({ clientId: 'archive-test', brokers, logLevel: logLevel.NOTHING });
  const admin: Admin = client.admin();
  const producer: Producer = client.producer();
  await admin.connect();
  await producer.connect();
  const name = uniqueName('tv-archive');
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: name, numPartitions: 2 }] });
  return {
    name,
    async send(events, garbage = []) {
      const values = [...events.map((e) => ({ key: e.stream, value: encodeEvent(e) })), ...garbage.map((value) => ({ key: 'junk', value }))];
      for (let i = 0; i < values.length; i += 500) await producer.send({ topic: name, messages: values.slice(i, i + 500) });
    },
    async close() {
      await producer.disconnect();
      await admin.deleteTopics({ topics: [name] }).catch(() => undefined);
      await admin.disconnect();
    },
  };
};

/** A lake of its own on an HDFS of the stack: `/tests/<unique>/crypto`, the design's layout below it. */
export interface HdfsLakeRig {
  readonly lake: LakeLocation;
  /** The lake's root as an HDFS path (for WebHDFS). */
  readonly root: string;
  readonly files: HdfsFolder;
  /** Removes the test's folder from HDFS. */
  remove(): Promise<void>;
}

export const hdfsLakeRig = (hdfs: HdfsEndpoint): HdfsLakeRig => {
  const folder = `/tests/${uniqueName('archive')}`;
  const files = webHdfs(hdfs);
  const root = `${folder}/crypto`;
  return { lake: hdfsLake(hdfs, root), root, files, remove: () => files.remove(folder) };
};

/** Starts the archive job from `topic` into the rig's lake; its checkpoint is the lake's default, `checkpoints/archive`. */
export const startArchive = (
  spark: SparkEndpoint,
  bootstrap: string,
  topic: string,
  rig: HdfsLakeRig,
  extra: string[],
  onLine: (line: string) => void,
): SparkJobRun =>
  startSparkJob(spark, 'archive', ['--bootstrap', bootstrap, '--topics', topic, '--lake', rig.lake.uri, ...extra], {
    timeoutMs: 10 * 60_000,
    conf: { 'spark.executor.memory': '768m', 'spark.cores.max': '2', 'spark.sql.shuffle.partitions': '2', ...sparkConfFor(rig.lake) },
    onLine,
  });

/** Batch ids the archive's checkpoint log holds for the lake's events (`offsets` planned, `commits` done). */
export const logIds = async (rig: HdfsLakeRig, log: 'offsets' | 'commits'): Promise<number[]> =>
  (await rig.files.names(`${rig.root}/checkpoints/archive/raw/${log}`)).filter((f) => /^\d+$/.test(f)).map(Number);

/** Parquet files under `{lake}/raw` that the file sink's `_spark_metadata` log does not list. */
export const uncommittedFiles = async (rig: HdfsLakeRig): Promise<string[]> => {
  const raw = `${rig.root}/raw`;
  const log = `${raw}/_spark_metadata`;
  const entries = (await rig.files.names(log)).filter((n) => !n.startsWith('.'));
  if (entries.length === 0) return [];
  const committed = new Set<string>();
  for (const f of entries) {
    for (const line of (await rig.files.text(`${log}/${f}`)).split('\n')) {
      if (line.startsWith('{')) committed.add(path.posix.basename(decodeURIComponent((JSON.parse(line) as { path: string }).path)));
    }
  }
  return (await rig.files.filesUnder(raw)).filter((f) => f.endsWith('.parquet') && !path.posix.basename(f).startsWith('.') && !committed.has(path.posix.basename(f)));
};

/** The lake as the batch jobs read it (read_lake.py: lake.read_events and `rejected/`). */
export const readLake = (spark: SparkEndpoint, lake: LakeLocation): Promise<{ trades: [number, string][]; rejected: [number, number][] }> =>
  new Promise((resolve, reject) => {
    const child = spawn(spark.python, [path.join(repoRoot, 'test', 'spark-jobs', 'read_lake.py'), lake.uri], {
      env: { ...process.env, PYTHONPATH: path.join(repoRoot, 'spark-jobs'), SPARK_LOCAL_IP: '127.0.0.1', PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (err = (err + b.toString('utf8')).slice(-5_000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 5 * 60_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`read_lake.py exited ${code}:\n${err}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as { trades: [number, string][]; rejected: [number, number][] });
    });
  });

/** Every event in the lake exactly once (same positions, same trades), and every garbage message in `rejected/` once. */
export const expectExactlyOnce = async (spark: SparkEndpoint, lake: LakeLocation, events: readonly RecordedEvent[], garbage: number): Promise<void> => {
  const got = await readLake(spark, lake);
  const positions = got.trades.map(([p]) => p);
  expect(positions.length).toBe(events.length);
  expect(new Set(positions).size).toBe(events.length);
  expect([...positions].sort((a, b) => a - b)).toEqual(events.map((e) => e.position));
  const tradeIds = new Map(events.map((e) => [e.position, (e.data as { tradeId: string }).tradeId]));
  for (const [p, id] of got.trades) expect(id).toBe(tradeIds.get(p));
  expect(got.rejected).toHaveLength(garbage);
  expect(new Set(got.rejected.map(([p, o]) => `${p}:${o}`)).size).toBe(garbage);
};
