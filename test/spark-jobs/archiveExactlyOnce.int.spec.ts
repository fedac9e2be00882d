/**
 * The archive job (Kafka → Parquet lake on HDFS, Structured Streaming, checkpoint on HDFS) is
 * exactly-once across a crash: ledger events (and some garbage) go to a fresh topic on the real
 * broker, the job runs on the standalone cluster, is SIGKILLed with its whole process group once
 * a micro-batch's files are on HDFS but not yet committed in the sink's log (some batches
 * committed, not all), more events arrive, and a restart from the same checkpoint drains the
 * topic. Then every event is in the lake exactly once, and every garbage message is in
 * `rejected/` exactly once, as the batch jobs read the lake (honouring the sink's log).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SparkEndpoint, SparkJobRun } from '../../src/adapters/batch-engine/spark/sparkSubmit.js';
import type { HdfsEndpoint } from '../../src/adapters/lake/lakeLocation.js';
import { eventually } from '../contracts/polling.js';
import { repoRoot } from '../support/sharedData.js';
import { requireStack } from '../support/stack.js';
import { expectExactlyOnce, GARBAGE, hdfsLakeRig, logIds, openTopic, recordedTrades, startArchive, uncommittedFiles } from './archiveHarness.js';

const kafka = requireStack('kafka');
const spark = requireStack('spark');
const hdfs = requireStack('hdfs');
const FIRST = 3_000;
const LATER = 1_500;
const PER_BATCH = 150;

describe.skipIf(kafka.skip || spark.skip || hdfs.skip)('archive job on the real broker and cluster, lake on HDFS', () => {
  it('keeps every event exactly once in the lake across a SIGKILL mid-batch and a restart', { timeout: 20 * 60_000 }, async () => {
    const endpoint = { ...(spark.endpoint() as unknown as SparkEndpoint), jobs: path.join(repoRoot, 'spark-jobs') };
    const rig = hdfsLakeRig(hdfs.endpoint() as unknown as HdfsEndpoint);
    const topic = await openTopic(kafka.endpoint()['brokers'] as string[]);
    const lines: string[] = [];
    let running: SparkJobRun | undefined;
    const archive = (extra: string[]) =>
      startArchive(endpoint, kafka.endpoint().url, topic.name, rig, ['--max-offsets', String(PER_BATCH), ...extra], (l) => lines.push(l));
    try {
      const events = await recordedTrades(FIRST + LATER);
      expect(events).toHaveLength(FIRST + LATER);
      await topic.send(events.slice(0, FIRST), GARBAGE);

      const first = archive(['--trigger-seconds', '1']);
      running = first;
      const firstEnd = first.done.catch((e: unknown) => e);
      // Killed right after a batch's tasks wrote their files, before its driver committed them.
      await eventually(async () => (await logIds(rig, 'commits')).length >= 2 && (await uncommittedFiles(rig)).length > 0, {
        timeoutMs: 8 * 60_000,
        intervalMs: 5,
        what: `files of an uncommitted micro-batch after two committed ones\n${lines.slice(-30).join('\n')}`,
      });
      first.kill();
      expect(String(await firstEnd)).toMatch(/SIGKILL/);
      const committedAtKill = (await logIds(rig, 'commits')).length;
      const orphans = await uncommittedFiles(rig);
      expect(orphans.length).toBeGreaterThan(0);
      // Some but not all of the first events were archived when it died.
      expect(committedAtKill).toBeGreaterThanOrEqual(2);
      expect(committedAtKill * PER_BATCH).toBeLessThan(FIRST);

      await topic.send(events.slice(FIRST));
      // Second run from the same checkpoint, until the topic is drained.
      running = archive(['--until-idle']);
      await running.done;

      await expectExactlyOnce(endpoint, rig.lake, events, GARBAGE.length);
    } finally {
      running?.kill();
      await topic.close();
      await rig.remove();
    }
  });
});
