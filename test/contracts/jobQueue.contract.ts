/**
 * The JobQueue contract: every adapter (in-process, BullMQ) runs these same tests, written only
 * against the port. Each test uses queue names of its own, so adapters backed by a shared server
 * need no flush between tests. Timing is asserted loosely (lower bounds only): a loaded machine
 * may run a retry late, never early.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobHandler, JobQueue } from '../../src/domain/ports.js';
import { eventually, uniqueName } from './polling.js';

export interface JobQueueHarness {
  readonly queue: JobQueue;
  cleanup(): Promise<void>;
}

interface Call {
  readonly id: string;
  readonly attempt: number;
  readonly payload: unknown;
  readonly at: number;
}

/** A handler that records each call and then does what `behave` says (throw to fail). */
const recording = (behave: (call: Call) => Promise<void> | void = () => undefined): { calls: Call[]; handler: JobHandler } => {
  const calls: Call[] = [];
  return {
    calls,
    handler: async (payload, job) => {
      const call = { id: job.id, attempt: job.attempt, payload, at: performance.now() };
      calls.push(call);
      await behave(call);
    },
  };
};

/** A promise the test resolves by hand, to hold a job in the active state. */
const gate = (): { wait: Promise<void>; open: () => void } => {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
};

export function jobQueueContract(name: string, make: () => Promise<JobQueueHarness>): void {
  describe(`JobQueue contract: ${name}`, () => {
    let h: JobQueueHarness;
    let jobs: JobQueue;
    let q: string;

    beforeEach(async () => {
      h = await make();
      jobs = h.queue;
      q = uniqueName('contract');
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('runs the handler with the payload, the id and attempt 1', async () => {
      const r = recording();
      jobs.process(q, r.handler);
      await jobs.enqueue(q, 'job-1', { position: 42, days: ['2024-01-01'] });
      await jobs.drain(q);
      expect(r.calls.map(({ id, attempt, payload }) => ({ id, attempt, payload }))).toEqual([
        { id: 'job-1', attempt: 1, payload: { position: 42, days: ['2024-01-01'] } },
      ]);
      expect(await jobs.counts(q)).toEqual({ waiting: 0, active: 0, completed: 1, failed: 0 });
    });

    it('runs jobs enqueued before process() was called', async () => {
      for (const id of ['a', 'b', 'c']) await jobs.enqueue(q, id, { id });
      expect((await jobs.counts(q)).waiting).toBe(3);
      const r = recording();
      jobs.process(q, r.handler);
      await jobs.drain(q);
      expect(r.calls.map((c) => c.id).sort()).toEqual(['a', 'b', 'c']);
      expect(r.calls.map((c) => c.payload)).toEqual(r.calls.map((c) => ({ id: c.id })));
    });

    it('ignores a second enqueue of an id that is waiting, running or completed', async () => {
      await jobs.enqueue(q, 'same', { n: 1 });
      await jobs.enqueue(q, 'same', { n: 2 });
      const running = gate();
      const r = recording(() => running.wait);
      jobs.process(q, r.handler);
      await eventually(() => r.calls.length === 1, { what: 'the job to start' });
      await jobs.enqueue(q, 'same', { n: 3 });
      running.open();
      await jobs.drain(q);
      await jobs.enqueue(q, 'same', { n: 4 });
      await jobs.drain(q);
      expect(r.calls.map((c) => c.payload)).toEqual([{ n: 1 }]);
      expect((await jobs.counts(q)).completed).toBe(1);
    });

    it('keeps ids apart per queue', async () => {
      const other = uniqueName('contract-other');
      const a = recording();
      const b = recording();
      jobs.process(q, a.handler);
      jobs.process(other, b.handler);
      await jobs.enqueue(q, 'shared-id', 'for q');
      await jobs.enqueue(other, 'shared-id', 'for other');
      await Promise.all([jobs.drain(q), jobs.drain(other)]);
      expect(a.calls.map((c) => c.payload)).toEqual(['for q']);
      expect(b.calls.map((c) => c.payload)).toEqual(['for other']);
    });

    it('retries a failing job until it succeeds', async () => {
      const r = recording((c) => {
        if (c.attempt < 3) throw new Error(`attempt ${c.attempt} failed`);
      });
      jobs.process(q, r.handler);
      await jobs.enqueue(q, 'flaky', null, { attempts: 3, backoffMs: 5 });
      await jobs.drain(q);
      expect(r.calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
      expect(await jobs.failed(q)).toEqual([]);
      expect(await jobs.counts(q)).toEqual({ waiting: 0, active: 0, completed: 1, failed: 0 });
    });

    it('puts a job in the failed list with its last error once its attempts are used up', async () => {
      const r = recording((c) => {
        throw new Error(`boom ${c.attempt}`);
      });
      jobs.process(q, r.handler);
      const before = Date.now();
      await jobs.enqueue(q, 'doomed', { symbol: 'BTC-USDT' }, { attempts: 2, backoffMs: 5 });
      await jobs.drain(q);
      expect(r.calls.map((c) => c.attempt)).toEqual([1, 2]);
      const failed = await jobs.failed(q);
      expect(failed).toEqual([{ id: 'doomed', queue: q, payload: { symbol: 'BTC-USDT' }, attempts: 2, error: 'boom 2', failedAt: expect.any(Number) }]);
      expect(failed[0]!.failedAt).toBeGreaterThanOrEqual(before - 1_000);
      expect(await jobs.counts(q)).toEqual({ waiting: 0, active: 0, completed: 0, failed: 1 });
    });

    it('a job that fails does not hold up the others', async () => {
      const r = recording((c) => {
        if (c.id === 'bad') throw new Error('bad job');
      });
      jobs.process(q, r.handler);
      await jobs.enqueue(q, 'bad', null, { attempts: 1 });
      await jobs.enqueue(q, 'good', null);
      await jobs.drain(q);
      expect(r.calls.map((c) => c.id).sort()).toEqual(['bad', 'good']);
      expect(await jobs.counts(q)).toEqual({ waiting: 0, active: 0, completed: 1, failed: 1 });
      expect((await jobs.failed(q)).map((f) => [f.id, f.attempts, f.error])).toEqual([['bad', 1, 'bad job']]);
    });

    it('waits longer before each further retry (backoffMs × 2^(attempt-1))', async () => {
      const backoffMs = 15;
      const r = recording(() => {
        throw new Error('always');
      });
      jobs.process(q, r.handler);
      await jobs.enqueue(q, 'slow', null, { attempts: 4, backoffMs });
      await jobs.drain(q);
      expect(r.calls.map((c) => c.attempt)).toEqual([1, 2, 3, 4]);
      const gaps = r.calls.slice(1).map((c, i) => c.at - r.calls[i]!.at);
      // Lower bounds only, with 2 ms of slack for timer rounding.
      gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(backoffMs * 2 ** i - 2));
      expect(gaps[2]!).toBeGreaterThan(gaps[0]!);
    });

    it('counts waiting and active jobs while they are', async () => {
      await jobs.enqueue(q, 'one', null);
      await jobs.enqueue(q, 'two', null);
      expect(await jobs.counts(q)).toEqual({ waiting: 2, active: 0, completed: 0, failed: 0 });
      const running = gate();
      const r = recording(() => running.wait);
      jobs.process(q, r.handler);
      await eventually(async () => (await jobs.counts(q)).active >= 1, { what: 'a job to be active' });
      const during = await jobs.counts(q);
      expect(during.waiting + during.active).toBe(2);
      expect(during.completed).toBe(0);
      running.open();
      await jobs.drain(q);
      expect(await jobs.counts(q)).toEqual({ waiting: 0, active: 0, completed: 2, failed: 0 });
    });

    it('drain resolves at once on an idle queue', async () => {
      jobs.process(q, recording().handler);
      await jobs.drain(q);
      await jobs.drain(uniqueName('never-used'));
    });

    it('drain waits for a job that is waiting out its backoff', async () => {
      const r = recording((c) => {
        if (c.attempt === 1) throw new Error('first try fails');
      });
      jobs.process(q, r.handler);
      await jobs.enqueue(q, 'retry-later', null, { attempts: 2, backoffMs: 40 });
      await eventually(() => r.calls.length === 1, { what: 'the first attempt' });
      await jobs.drain(q);
      expect(r.calls.map((c) => c.attempt)).toEqual([1, 2]);
      expect(await jobs.counts(q)).toEqual({ waiting: 0, active: 0, completed: 1, failed: 0 });
    });
  });
}
