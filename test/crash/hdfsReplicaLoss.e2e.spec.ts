/**
 * A DataNode lost under a running archive, on the three-DataNode HDFS (replication 3): the job
 * writes its lake and checkpoint there, one DataNode is SIGKILLed by its recorded pid once some
 * micro-batches are committed, and the same run must carry on to the end with no restart. Then
 * every event is in the lake exactly once, and once the NameNode has declared the node dead it
 * reports no missing block (every block still has a live copy). The killed DataNode is started
 * again afterwards by the stack script, leaving the cluster whole.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { SparkEndpoint, SparkJobRun } from '../../src/adapters/batch-engine/spark/sparkSubmit.js';
import type { HdfsEndpoint } from '../../src/adapters/lake/lakeLocation.js';
import { eventually } from '../contracts/polling.js';
import { repoRoot } from '../support/sharedData.js';
import { requireStack } from '../support/stack.js';
import { nameNodeFigures } from '../support/webHdfs.js';
import { expectExactlyOnce, GARBAGE, hdfsLakeRig, logIds, openTopic, recordedTrades, startArchive } from '../spark-jobs/archiveHarness.js';

const run = promisify(execFile);
const kafka = requireStack('kafka');
const spark = requireStack('spark');
const hdfs3 = requireStack('hdfs3');
const EVENTS = 1_500;
const PER_BATCH = 150;

describe.skipIf(kafka.skip || spark.skip || hdfs3.skip)('archive on 3 DataNodes (replication 3), one SIGKILLed mid-run', () => {
  afterAll(async () => {
    // Bring the killed DataNode back (a no-op for the nodes still running).
    await run(process.execPath, [path.join(repoRoot, 'deploy/local/stack.mjs'), 'up', 'hdfs3'], { cwd: repoRoot, timeout: 300_000 });
  }, 320_000);

  it('keeps running and loses nothing', { timeout: 20 * 60_000 }, async () => {
    const endpoint = { ...(spark.endpoint() as unknown as SparkEndpoint), jobs: path.join(repoRoot, 'spark-jobs') };
    const hdfs = hdfs3.endpoint() as unknown as HdfsEndpoint & { pidFiles: string[] };
    const rig = hdfsLakeRig(hdfs);
    const topic = await openTopic(kafka.endpoint()['brokers'] as string[]);
    const lines: string[] = [];
    let archive: SparkJobRun | undefined;
    try {
      const events = await recordedTrades(EVENTS);
      await topic.send(events, GARBAGE);
      archive = startArchive(endpoint, kafka.endpoint().url, topic.name, rig, ['--max-offsets', String(PER_BATCH), '--until-idle'], (l) => lines.push(l));
      const ended = archive.done.then(
        () => undefined,
        (e: unknown) => e,
      );
      await eventually(async () => (await logIds(rig, 'commits')).length >= 2, {
        timeoutMs: 8 * 60_000,
        intervalMs: 20,
        what: `two committed micro-batches\n${lines.slice(-30).join('\n')}`,
      });
      // pidFiles: the NameNode first, then DataNodes 1-3.
      process.kill(Number(readFileSync(hdfs.pidFiles[2]!, 'utf8').trim()), 'SIGKILL');
      expect((await logIds(rig, 'commits')).length * PER_BATCH).toBeLessThan(EVENTS); // the kill really was mid-run

      // The same run finishes: no failure, no restart.
      const failure = await ended;
      if (failure !== undefined) throw new Error(`the archive failed after losing one of three DataNodes: ${String(failure)}\n${lines.slice(-40).join('\n')}`);
      await expectExactlyOnce(endpoint, rig.lake, events, GARBAGE.length);

      await eventually(async () => (await nameNodeFigures(hdfs)).deadDataNodes >= 1, { timeoutMs: 3 * 60_000, intervalMs: 1_000, what: 'the NameNode to declare the killed DataNode dead' });
      const figures = await nameNodeFigures(hdfs);
      expect(figures.liveDataNodes).toBe(2);
      expect(figures.missingBlocks).toBe(0);
    } finally {
      archive?.kill();
      await topic.close();
      await rig.remove().catch(() => undefined);
    }
  });
});
