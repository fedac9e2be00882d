/**
 * The embedded JobQueue: in-process FIFO queues with retries and exponential backoff.
 *
 * Jobs live in memory, so a crash loses what was waiting; that is acceptable because every job
 * here is only a trigger for work the ledger already guarantees (a recompute is redone from its
 * RecomputeRequested event). Ids are remembered once completed, as BullMQ does with a fixed
 * jobId, so a retried command cannot run the same job twice in one process.
 */
import type { Clock, FailedJob, JobCounts, JobHandler, JobOptions, JobQueue } from '../../../domain/ports.js';

const DEFAULT_ATTEMPTS = 3;
const DEFAULT_BACKOFF_MS = 1_000;

export interface InProcessJobQueueOptions {
  /** Stamps `failedAt`; backoff delays themselves use real timers. */
  readonly clock?: Clock;
  /** Jobs run at once per queue (default 1: one at a time). */
  readonly concurrency?: number;
}

interface Job {
  readonly id: string;
  readonly payload: unknown;
  readonly attempts: number;
  readonly backoffMs: number;
  /** Tries made so far. */
  tried: number;
}

type JobState = 'waiting' | 'active' | 'delayed' | 'completed' | 'failed';

interface Queue {
  handler: JobHandler | undefined;
  readonly waiting: Job[];
  active: number;
  /** Jobs between a failed try and their retry: not done, so drain still waits for them. */
  readonly delayed: Set<NodeJS.Timeout>;
  readonly states: Map<string, JobState>;
  completed: number;
  readonly failed: FailedJob[];
  readonly drainers: Array<() => void>;
  /** Settles when the running handler calls finish; `close` waits for them. */
  readonly running: Set<Promise<void>>;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export const createInProcessJobQueue = (options: InProcessJobQueueOptions = {}): JobQueue => {
  const clock: Clock = options.clock ?? { now: () => Date.now() };
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
  const queues = new Map<string, Queue>();
  let closed = false;

  const queueOf = (name: string): Queue => {
    let q = queues.get(name);
    if (q === undefined) {
      q = {
        handler: undefined,
        waiting: [],
        active: 0,
        delayed: new Set(),
        states: new Map(),
        completed: 0,
        failed: [],
        drainers: [],
        running: new Set(),
      };
      queues.set(name, q);
    }
    return q;
  };

  const idle = (q: Queue): boolean => q.waiting.length === 0 && q.active === 0 && q.delayed.size === 0;

  const notifyIfIdle = (q: Queue): void => {
    if (!idle(q)) return;
    for (const resolve of q.drainers.splice(0)) resolve();
  };

  const settle = (name: string, q: Queue, job: Job, error: unknown): void => {
    q.active--;
    if (error === undefined) {
      q.states.set(job.id, 'completed');
      q.completed++;
    } else if (job.tried < job.attempts && !closed) {
      // After close no timer may be left behind, so a try that fails during shutdown is final.
      q.states.set(job.id, 'delayed');
      const timer = setTimeout(() => {
        q.delayed.delete(timer);
        q.states.set(job.id, 'waiting');
        q.waiting.push(job);
        pump(name, q);
      }, job.backoffMs * 2 ** (job.tried - 1));
      q.delayed.add(timer);
    } else {
      q.states.set(job.id, 'failed');
      q.failed.push({ id: job.id, queue: name, payload: job.payload, attempts: job.tried, error: messageOf(error), failedAt: clock.now() });
    }
    pump(name, q);
    notifyIfIdle(q);
  };

  const run = (name: string, q: Queue, handler: JobHandler, job: Job): void => {
    job.tried++;
    q.active++;
    q.states.set(job.id, 'active');
    // Through a promise so that a handler throwing synchronously is a failed try like any other.
    const done = Promise.resolve()
      .then(() => handler(job.payload, { id: job.id, attempt: job.tried }))
      .then(
        () => settle(name, q, job, undefined),
        // A thrown `undefined` still has to count as a failure.
        (e: unknown) => settle(name, q, job, e ?? new Error('job failed without an error')),
      );
    q.running.add(done);
    void done.finally(() => q.running.delete(done));
  };

  const pump = (name: string, q: Queue): void => {
    const handler = q.handler;
    if (handler === undefined || closed) return;
    while (q.active < concurrency) {
      const job = q.waiting.shift();
      if (job === undefined) return;
      run(name, q, handler, job);
    }
  };

  return {
    async enqueue(queue, id, payload, opts?: JobOptions) {
      if (closed) throw new Error(`job queue is closed; cannot enqueue ${queue}/${id}`);
      const q = queueOf(queue);
      const state = q.states.get(id);
      // A failed id may be enqueued again: that is how an operator retries it by hand.
      if (state !== undefined && state !== 'failed') return;
      if (state === 'failed') {
        const i = q.failed.findIndex((f) => f.id === id);
        if (i >= 0) q.failed.splice(i, 1);
      }
      q.states.set(id, 'waiting');
      q.waiting.push({
        id,
        payload,
        attempts: Math.max(1, Math.floor(opts?.attempts ?? DEFAULT_ATTEMPTS)),
        backoffMs: Math.max(0, opts?.backoffMs ?? DEFAULT_BACKOFF_MS),
        tried: 0,
      });
      pump(queue, q);
    },

    process(queue, handler) {
      const q = queueOf(queue);
      if (q.handler !== undefined) throw new Error(`queue ${queue} already has a handler`);
      q.handler = handler;
      pump(queue, q);
    },

    async failed(queue) {
      return [...(queues.get(queue)?.failed ?? [])];
    },

    async counts(queue): Promise<JobCounts> {
      const q = queues.get(queue);
      if (q === undefined) return { waiting: 0, active: 0, completed: 0, failed: 0 };
      // A job waiting out its backoff is still to be done, so it counts as waiting.
      return { waiting: q.waiting.length + q.delayed.size, active: q.active, completed: q.completed, failed: q.failed.length };
    },

    drain(queue) {
      const q = queueOf(queue);
      if (idle(q) || closed) return Promise.resolve();
      return new Promise((resolve) => q.drainers.push(resolve));
    },

    async close() {
      if (closed) return;
      closed = true;
      const running: Promise<void>[] = [];
      for (const q of queues.values()) {
        for (const timer of q.delayed) clearTimeout(timer);
        q.delayed.clear();
        running.push(...q.running);
      }
      // Let running handlers finish (they may be mid-write); nothing new starts after this.
      await Promise.all(running);
      // Whatever was still waiting will never run: release anyone waiting for a drain.
      for (const q of queues.values()) for (const resolve of q.drainers.splice(0)) resolve();
    },
  };
};
