/**
 * The only DataNode killed under a running archive, then restarted: on an HDFS of its own (the
 * stack script in a private folder, on other ports, so the shared HDFS under HBase is never
 * touched), the archive writes its lake and checkpoint; once some micro-batches are committed
 * the DataNode is SIGKILLed, and started again once the job has met the loss (a lost task, or
 * the run's end). Whatever that run then does (finish, or fail), more events arrive and a run
 * from the same checkpoint drains the topic: every event is in the lake exactly once.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SparkEndpoint, SparkJobRun } from '../../src/adapters/batch-engine/spark/sparkSubmit.js';
import type { HdfsEndpoint } from '../../src/adapters/lake/lakeLocation.js';
import { eventually } from '../contracts/polling.js';
import { repoRoot } from '../support/sharedData.js';
import { requireStack, stackDir } from '../support/stack.js';
import { expectExactlyOnce, GARBAGE, hdfsLakeRig, logIds, openTopic, recordedTrades, startArchive } from '../spark-jobs/archiveHarness.js';

const run = promisify(execFile);
const kafka = requireStack('kafka');
const spark = requireStack('spark');
const sharedHdfs = requireStack('hdfs');
const FIRST = 1_500;
const LATER = 600;
const PER_BATCH = 150;
/** The private HDFS: its own folder (its jars are reused from one run to the next) and ports 100 above the shared one's. */
const privateDir = path.join(stackDir, 'private', 'hdfs-datanode-kill');

describe.skipIf(kafka.skip || spark.skip || sharedHdfs.skip)('archive while the only DataNode is killed and restarted', () => {
  let hdfs: HdfsEndpoint & { pidFiles: string[] };
  let stack: (verb: 'up' | 'down') => Promise<unknown>;

  beforeAll(async () => {
    const port = Number(new URL(sharedHdfs.endpoint().url).port) + 100;
    const env = { ...process.env, TICKVAULT_STACK_DIR: privateDir, TICKVAULT_HDFS_PORT: String(port) };
    stack = (verb) => run(process.execPath, [path.join(repoRoot, 'deploy/local/stack.mjs'), verb, 'hdfs'], { cwd: repoRoot, env, timeout: 300_000 });
    await stack('up');
    hdfs = (JSON.parse(readFileSync(path.join(privateDir, 'endpoints.json'), 'utf8')) as Record<string, typeof hdfs>)['hdfs']!;
  }, 320_000);

  afterAll(async () => {
    await stack('down');
  }, 120_000);

  it('loses and duplicates nothing', { timeout: 20 * 60_000 }, async () => {
    const endpoint = { ...(spark.endpoint() as unknown as SparkEndpoint), jobs: path.join(repoRoot, 'spark-jobs') };
    const rig = hdfsLakeRig(hdfs);
    const topic = await openTopic(kafka.endpoint()['brokers'] as string[]);
    const lines: string[] = [];
    let archive: SparkJobRun | undefined;
    const start = () => startArchive(endpoint, kafka.endpoint().url, topic.name, rig, ['--max-offsets', String(PER_BATCH), '--until-idle'], (l) => lines.push(l));
    try {
      const events = await recordedTrades(FIRST + LATER);
      await topic.send(events.slice(0, FIRST), GARBAGE);
      archive = start();
      let over = false;
      const firstEnd = archive.done.then(
        () => (over = true),
        () => (over = true),
      );
      await eventually(async () => (await logIds(rig, 'commits')).length >= 2, {
        timeoutMs: 8 * 60_000,
        intervalMs: 20,
        what: `two committed micro-batches\n${lines.slice(-30).join('\n')}`,
      });
      // pidFiles: the NameNode, then the DataNode.
      process.kill(Number(readFileSync(hdfs.pidFiles[1]!, 'utf8').trim()), 'SIGKILL');
      expect((await logIds(rig, 'commits')).length * PER_BATCH).toBeLessThan(FIRST); // the kill really was mid-run
      const seenBefore = lines.length;
      await eventually(() => over || lines.slice(seenBefore).some((l) => /Lost task|terminated with error|IOException/.test(l)), {
        timeoutMs: 5 * 60_000,
        intervalMs: 100,
        what: `the archive to meet the dead DataNode\n${lines.slice(-30).join('\n')}`,
      });
      await stack('up'); // the NameNode still runs: this starts the DataNode again
      await firstEnd;

      await topic.send(events.slice(FIRST));
      archive = start();
      await archive.done;
      await expectExactlyOnce(endpoint, rig.lake, events, GARBAGE.length);
    } finally {
      archive?.kill();
      await topic.close();
      await rig.remove().catch(() => undefined);
    }
  });
});
