/**
 * The job queue as Prometheus sees it, for either adapter (in-process or BullMQ): a wrapper that
 * notes every queue used (so a queue added later is measured without a change here) and counts
 * each failed attempt as its handler throws; the depth by state is asked of the queue itself when
 * Prometheus scrapes.
 */
import { Counter, type Registry } from 'prom-client';
import type { JobCounts, JobQueue } from '../../domain/ports.js';
import { pulledGauge } from './registry.js';

const STATES: ReadonlyArray<keyof JobCounts> = ['waiting', 'active', 'completed', 'failed'];

export const measuredJobQueue = (jobs: JobQueue, registry: Registry): JobQueue => {
  const queues = new Set<string>();
  const failures = new Counter({ name: 'tickvault_job_failures_total', help: 'Job attempts whose handler failed (each retry counts), by queue.', labelNames: ['queue'], registers: [registry] });
  pulledGauge(registry, {
    name: 'tickvault_job_queue_jobs',
    help: 'Jobs in a queue by state (waiting + active: the depth; failed: kept after their last attempt).',
    labelNames: ['queue', 'state'],
    read: async () => {
      const rows = await Promise.all([...queues].map(async (queue) => ({ queue, counts: await jobs.counts(queue) })));
      return rows.flatMap(({ queue, counts }) => STATES.map((state) => [{ queue, state }, counts[state]] as const));
    },
  });
  return {
    enqueue(queue, id, payload, options) {
      queues.add(queue);
      return jobs.enqueue(queue, id, payload, options);
    },
    process(queue, handler) {
      queues.add(queue);
      failures.inc({ queue }, 0);
      jobs.process(queue, async (payload, job) => {
        try {
          await handler(payload, job);
        } catch (e) {
          failures.inc({ queue });
          throw e;
        }
      });
    },
    failed: (queue) => jobs.failed(queue),
    counts: (queue) => jobs.counts(queue),
    drain: (queue) => jobs.drain(queue),
    close: () => jobs.close(),
  };
};
