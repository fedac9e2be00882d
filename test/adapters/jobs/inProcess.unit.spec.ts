/** The in-process JobQueue against the JobQueue contract, plus its own options and shutdown. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInProcessJobQueue } from '../../../src/adapters/jobs/in-process/inProcessJobQueue.js';
import type { JobQueue } from '../../../src/domain/ports.js';
import { jobQueueContract } from '../../contracts/jobQueue.contract.js';

jobQueueContract('in-process', async () => {
  const queue = createInProcessJobQueue();
  return { queue, cleanup: () => queue.close() };
});

describe('in-process JobQueue', () => {
  const open: JobQueue[] = [];
  const make = (...args: Parameters<typeof createInProcessJobQueue>): JobQueue => {
    const q = createInProcessJobQueue(...args);
    open.push(q);
    return q;
  };
  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(open.splice(0).map((q) => q.close()));
  });

  /** Runs `n` jobs whose handlers yield a few times, and reports the most that ran at once. */
  const peakConcurrency = async (jobs: JobQueue, n: number): Promise<number> => {
    let running = 0;
    let peak = 0;
    jobs.process('q', async () => {
      peak = Math.max(peak, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
    });
    for (let i = 0; i < n; i++) await jobs.enqueue('q', `j${i}`, null);
    await jobs.drain('q');
    return peak;
  };

  it('runs one job at a time per queue by default', async () => {
    expect(await peakConcurrency(make(), 5)).toBe(1);
  });

  it('runs up to `concurrency` jobs at once', async () => {
    expect(await peakConcurrency(make({ concurrency: 3 }), 6)).toBe(3);
  });

  it('runs a queue in enqueue order', async () => {
    const jobs = make();
    const order: string[] = [];
    for (const id of ['c', 'a', 'b']) await jobs.enqueue('q', id, null);
    jobs.process('q', async (_p, job) => void order.push(job.id));
    await jobs.drain('q');
    expect(order).toEqual(['c', 'a', 'b']);
  });

  it('defaults to 3 attempts, 1000 ms doubling backoff, and stamps failedAt with the clock', async () => {
    vi.useFakeTimers();
    const jobs = make({ clock: { now: () => 1_700_000_000_000 } });
    const attempts: Array<[number, number]> = [];
    jobs.process('q', async (_p, job) => {
      attempts.push([job.attempt, Date.now()]);
      throw new Error('nope');
    });
    const start = Date.now();
    await jobs.enqueue('q', 'j', null);
    await vi.advanceTimersByTimeAsync(999);
    expect(attempts.map(([a]) => a)).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts.map(([a]) => a)).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(attempts.map(([a, t]) => [a, t - start])).toEqual([
      [1, 0],
      [2, 1_000],
      [3, 3_000],
    ]);
    expect(await jobs.failed('q')).toEqual([{ id: 'j', queue: 'q', payload: null, attempts: 3, error: 'nope', failedAt: 1_700_000_000_000 }]);
  });

  it('counts a handler that throws synchronously, or rejects with a non-Error, as a failed try', async () => {
    const jobs = make();
    jobs.process('q', ((_p: unknown, job: { id: string }) => {
      if (job.id === 'sync') throw new Error('sync throw');
      return Promise.reject('plain string');
    }) as never);
    await jobs.enqueue('q', 'sync', null, { attempts: 1 });
    await jobs.enqueue('q', 'string', null, { attempts: 1 });
    await jobs.drain('q');
    expect((await jobs.failed('q')).map((f) => [f.id, f.error])).toEqual([
      ['sync', 'sync throw'],
      ['string', 'plain string'],
    ]);
  });

  it('lets a failed id be enqueued again (a retry by hand)', async () => {
    const jobs = make();
    let fail = true;
    const runs: number[] = [];
    jobs.process('q', async (payload) => {
      runs.push(payload as number);
      if (fail) throw new Error('first time');
    });
    await jobs.enqueue('q', 'j', 1, { attempts: 1 });
    await jobs.drain('q');
    fail = false;
    await jobs.enqueue('q', 'j', 2, { attempts: 1 });
    await jobs.drain('q');
    expect(runs).toEqual([1, 2]);
    expect(await jobs.failed('q')).toEqual([]);
    expect(await jobs.counts('q')).toEqual({ waiting: 0, active: 0, completed: 1, failed: 0 });
  });

  it('refuses a second handler for a queue', () => {
    const jobs = make();
    jobs.process('q', async () => undefined);
    expect(() => jobs.process('q', async () => undefined)).toThrow(/already has a handler/);
  });

  it('close cancels pending retries, waits for running handlers, releases drains and refuses new jobs', async () => {
    const jobs = make();
    let finished = false;
    const attempts: number[] = [];
    jobs.process('q', async (_p, job) => {
      attempts.push(job.attempt);
      throw new Error('retry me');
    });
    jobs.process('slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      finished = true;
    });
    await jobs.enqueue('q', 'retrying', null, { attempts: 5, backoffMs: 50 });
    await jobs.enqueue('slow', 'slow', null);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const drained = jobs.drain('q');
    await jobs.close();
    expect(finished).toBe(true);
    await drained;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(attempts).toEqual([1]);
    await expect(jobs.enqueue('q', 'late', null)).rejects.toThrow(/closed/);
  });
});
