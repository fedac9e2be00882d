/** The BullMQ JobQueue against the JobQueue contract on the real Redis, plus what only a shared queue promises. */
import { afterEach, describe, expect, it } from 'vitest';
import { createBullmqJobQueue } from '../../../src/adapters/jobs/bullmq/bullmqJobQueue.js';
import type { JobQueue } from '../../../src/domain/ports.js';
import { jobQueueContract } from '../../contracts/jobQueue.contract.js';
import { eventually, uniqueName } from '../../contracts/polling.js';
import { requireStack } from '../../support/stack.js';

const redis = requireStack('redis');

describe.skipIf(redis.skip)('bullmq job queue', () => {
  jobQueueContract('bullmq', async () => {
    const queue = createBullmqJobQueue({ url: redis.endpoint().url, prefix: uniqueName('tvtest') });
    return { queue, cleanup: () => queue.close() };
  });

  const open: JobQueue[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((q) => q.close()));
  });
  const make = (prefix: string): JobQueue => {
    const q = createBullmqJobQueue({ url: redis.endpoint().url, prefix });
    open.push(q);
    return q;
  };

  it('a job enqueued by one process is run by another, and survives the enqueuer closing', async () => {
    const prefix = uniqueName('tvtest');
    const producer = make(prefix);
    await producer.enqueue('recompute', 'r:1', { position: 7 });
    await producer.close();
    const consumer = make(prefix);
    const got: unknown[] = [];
    consumer.process('recompute', async (payload, job) => void got.push([job.id, payload]));
    await eventually(() => got.length === 1, { what: 'the job to run in the second process' });
    expect(got).toEqual([['r:1', { position: 7 }]]);
  });

  it('a failed id enqueued again runs again (a manual retry), and leaves the failed list', async () => {
    const jobs = make(uniqueName('tvtest'));
    let fail = true;
    jobs.process('q', async () => {
      if (fail) throw new Error('not yet');
    });
    await jobs.enqueue('q', '12', null, { attempts: 1 });
    await jobs.drain('q');
    expect((await jobs.failed('q')).map((f) => [f.id, f.error])).toEqual([['12', 'not yet']]);
    fail = false;
    await jobs.enqueue('q', '12', null, { attempts: 1 });
    await jobs.drain('q');
    expect(await jobs.failed('q')).toEqual([]);
    expect((await jobs.counts('q')).completed).toBe(1);
  });
});
