/**
 * `stack status` consumer lag: committed offsets against topic end offsets, per consumer group,
 * read from the real Kafka broker; and the one-line wording of the status output.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerLag, describeLag } from '../../deploy/local/lib/consumerLag.mjs';
import { uniqueName } from '../contracts/polling.js';
import { requireStack, stackDir } from '../support/stack.js';

const kafka = requireStack('kafka');
const root = path.resolve(import.meta.dirname, '../..');

describe('describeLag', () => {
  it('names the total and the most lagging groups, one line', () => {
    expect(describeLag([])).toBe('no consumer groups');
    const rows = [
      { group: 'a', lag: 7, topics: ['t'] },
      { group: 'b', lag: 2, topics: ['t'] },
      { group: 'c', lag: 0, topics: ['t'] },
    ];
    expect(describeLag(rows)).toBe('3 consumer group(s), total lag 9 (a 7, b 2)');
    expect(describeLag(rows, 1)).toBe('3 consumer group(s), total lag 9 (a 7, +1 more)');
  });
});

describe.skipIf(kafka.skip)('consumer lag on the real broker', () => {
  const topic = uniqueName('lag');
  const caughtUp = uniqueName('lag-caught-up');
  const behind = uniqueName('lag-behind');
  let client: Kafka;

  beforeAll(async () => {
    client = new Kafka({ clientId: 'lag-test', brokers: kafka.endpoint()['brokers'] as string[], logLevel: logLevel.NOTHING });
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2 }] });
    const producer = client.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ key: String(i % 2), value: String(i) })) });
    await producer.disconnect();
    const ends = await admin.fetchTopicOffsets(topic);
    // One group committed the end of both partitions, the other only 1 message of each.
    await admin.setOffsets({ groupId: caughtUp, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
    await admin.setOffsets({ groupId: behind, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: String(Number(p.low) + 1) })) });
    await admin.disconnect();
  }, 60_000);
  afterAll(async () => {
    const admin = client.admin();
    await admin.connect();
    await admin.deleteGroups([caughtUp, behind]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('is the end offset minus the committed offset, summed over partitions', async () => {
    const rows = await consumerLag(kafka.endpoint()['brokers'] as string[], { groups: [caughtUp, behind] });
    expect(rows).toEqual([
      { group: behind, lag: 8, topics: [topic] },
      { group: caughtUp, lag: 0, topics: [topic] },
    ]);
  });

  it('appears on the kafka line of `stack status`', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(root, 'deploy/local/stack.mjs'), 'status', 'kafka'], {
      cwd: root,
      timeout: 60_000,
      env: { ...process.env, TICKVAULT_STACK_DIR: stackDir },
    });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ok {3}kafka .*broker\(s\) on .*; \d+ consumer group\(s\), total lag \d+/);
  });
});
