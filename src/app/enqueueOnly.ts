/**
 * The job queue as a process that does not run a queue's role sees it: it enqueues into the
 * shared queue and reads its state, but registers no worker, so the jobs are taken by the
 * processes that run the role (processRoles.ts).
 */
import type { JobQueue } from '../domain/ports.js';

export const enqueueOnly = (jobs: JobQueue): JobQueue => ({
  enqueue: (queue, id, payload, options) => jobs.enqueue(queue, id, payload, options),
  process: () => undefined,
  failed: (queue) => jobs.failed(queue),
  counts: (queue) => jobs.counts(queue),
  drain: (queue) => jobs.drain(queue),
  close: () => jobs.close(),
});
