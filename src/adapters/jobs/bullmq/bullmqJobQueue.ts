/**
 * The cluster JobQueue: BullMQ on Redis. Jobs survive a crash of the process that enqueued them,
 * any platform process may run them, and a job whose worker died mid-run is picked up again
 * once BullMQ notices it stalled.
 *
 * Ids: BullMQ refuses custom ids that look like integers or hold ':', so the port's id travels
 * in the job's data and BullMQ gets an escaped form of it. Completed and failed jobs are kept
 * (not auto-removed): that is what makes a second enqueue of a done id a no-op, and what the
 * failed-jobs list and the API read.
 */
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FailedJob, JobCounts, JobHandler, JobOptions, JobQueue } from '../../../domain/ports.js';
import { openRedis } from '../../redis/redisClient.js';

const DEFAULT_ATTEMPTS = 3;
const DEFAULT_BACKOFF_MS = 1_000;
const DRAIN_POLL_MS = 25;

export interface BullmqJobQueueOptions {
  readonly url: string;
  /** BullMQ key prefix; `tv:jobs` in production, a unique one per test. */
  readonly prefix?: string;
  /** Jobs run at once per queue in this process (default 1). */
  readonly concurrency?: number;
  /** Told when a worker reports an error outside a job (lost connection...). */
  readonly onError?: (error: unknown) => void;
}

interface JobData {
  readonly id: string;
  readonly payload: unknown;
}

const bullId = (id: string): string => `tv-${encodeURIComponent(id)}`;

const failedOf = (queue: string, job: Job<JobData>): FailedJob => ({
  id: job.data.id,
  queue,
  payload: job.data.payload,
  attempts: job.attemptsMade,
  error: job.failedReason,
  failedAt: job.finishedOn ?? job.processedOn ?? job.timestamp,
});

export const createBullmqJobQueue = (options: BullmqJobQueueOptions): JobQueue => {
  const prefix = options.prefix ?? 'tv:jobs';
  const onError = options.onError ?? (() => undefined);
  // BullMQ's blocking commands need connections that retry forever instead of failing a request.
  const connection: Redis = openRedis({ url: options.url, name: 'tickvault-jobs', retryRequestsForever: true });
  const queues = new Map<string, Queue<JobData>>();
  const workers = new Map<string, Worker<JobData>>();
  let closed = false;

  const queueOf = (name: string): Queue<JobData> => {
    let q = queues.get(name);
    if (q === undefined) {
      q = new Queue<JobData>(name, { connection, prefix });
      q.on('error', onError);
      queues.set(name, q);
    }
    return q;
  };

  const counts = async (name: string): Promise<JobCounts> => {
    const c = await queueOf(name).getJobCounts('wait', 'prioritized', 'delayed', 'active', 'completed', 'failed');
    // A job waiting out its backoff (delayed) is still to be done, so it counts as waiting.
    return {
      waiting: (c['wait'] ?? 0) + (c['prioritized'] ?? 0) + (c['delayed'] ?? 0),
      active: c['active'] ?? 0,
      completed: c['completed'] ?? 0,
      failed: c['failed'] ?? 0,
    };
  };

  return {
    async enqueue(queue, id, payload, opts?: JobOptions) {
      if (closed) throw new Error(`job queue is closed; cannot enqueue ${queue}/${id}`);
      const q = queueOf(queue);
      const existing = await q.getJob(bullId(id));
      // A failed id may be enqueued again: that is how an operator retries it by hand.
      if (existing !== undefined && (await existing.getState()) === 'failed') await existing.remove();
      await q.add(
        queue,
        { id, payload },
        {
          jobId: bullId(id),
          attempts: Math.max(1, Math.floor(opts?.attempts ?? DEFAULT_ATTEMPTS)),
          backoff: { type: 'exponential', delay: Math.max(0, opts?.backoffMs ?? DEFAULT_BACKOFF_MS) },
          removeOnComplete: false,
          removeOnFail: false,
        },
      );
    },

    process(queue, handler: JobHandler) {
      if (workers.has(queue)) throw new Error(`queue ${queue} already has a handler`);
      const worker = new Worker<JobData>(
        queue,
        async (job) => {
          await handler(job.data.payload, { id: job.data.id, attempt: job.attemptsMade + 1 });
        },
        { connection, prefix, concurrency: Math.max(1, Math.floor(options.concurrency ?? 1)) },
      );
      worker.on('error', onError);
      workers.set(queue, worker);
    },

    async failed(queue) {
      const jobs = await queueOf(queue).getFailed();
      return jobs
        .filter((j): j is Job<JobData> => j !== undefined)
        .map((j) => failedOf(queue, j))
        .sort((a, b) => a.failedAt - b.failedAt);
    },

    counts,

    async drain(queue) {
      for (;;) {
        if (closed) return;
        const c = await counts(queue);
        if (c.waiting === 0 && c.active === 0) return;
        await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      // Workers first: running handlers finish, nothing new starts; then the queues.
      await Promise.all([...workers.values()].map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
      await connection.quit().catch(() => connection.disconnect());
    },
  };
};
