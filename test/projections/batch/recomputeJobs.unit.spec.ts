/** The recompute job queue: what is enqueued runs one batch pass through its position; a payload that is not a job is refused with the reason. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createInProcessJobQueue } from '../../../src/adapters/jobs/in-process/inProcessJobQueue.js';
import { RECOMPUTE_QUEUE } from '../../../src/domain/names.js';
import { enqueueRecompute, processRecomputeJobs, recomputeJobOf } from '../../../src/projections/batch/recomputeJobs.js';

const isPosition = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

describe('recompute jobs', () => {
  it('runs one batch pass through the position of every request enqueued', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.record({ requestId: fc.uuid(), position: fc.nat() }), { selector: (r) => r.requestId, maxLength: 20 }), async (requests) => {
        const jobs = createInProcessJobQueue();
        const passes: number[] = [];
        processRecomputeJobs(jobs, { runThrough: async (position) => void passes.push(position) });
        for (const r of requests) await enqueueRecompute(jobs, r.requestId, r.position);
        await jobs.drain(RECOMPUTE_QUEUE);
        await jobs.close();
        expect([...passes].sort((a, b) => a - b)).toEqual(requests.map((r) => r.position).sort((a, b) => a - b));
      }),
    );
  });

  it('reads a payload as a job exactly when its position is a ledger position', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ position: fc.oneof(fc.anything(), fc.double(), fc.integer()) })), (payload) => {
        const position = (payload as { position?: unknown } | null | undefined)?.position;
        if (isPosition(position)) expect(recomputeJobOf(payload)).toEqual({ position });
        else expect(() => recomputeJobOf(payload)).toThrow(/expected a payload \{ position: a ledger position/);
      }),
    );
  });

  it('fails a job whose payload is not a recompute job, naming what it got, without running a pass', async () => {
    const jobs = createInProcessJobQueue();
    const passes: number[] = [];
    processRecomputeJobs(jobs, { runThrough: async (position) => void passes.push(position) });
    await jobs.enqueue(RECOMPUTE_QUEUE, 'hand-made', { position: '12' }, { attempts: 1, backoffMs: 0 });
    await jobs.drain(RECOMPUTE_QUEUE);
    const failed = await jobs.failed(RECOMPUTE_QUEUE);
    await jobs.close();
    expect(passes).toEqual([]);
    expect(failed.map((f) => f.error)).toEqual(['recompute job: expected a payload { position: a ledger position (integer ≥ 0) }, got {"position":"12"}']);
  });
});
