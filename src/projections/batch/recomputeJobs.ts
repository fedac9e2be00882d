/**
 * The recompute job queue. A recompute (asked for by hand, or by a correction) is a
 * RecomputeRequested event in the ledger first, which the batch projector reaches on its next
 * scheduled pass: the ledger makes sure it happens at all. A job on this queue makes it happen
 * now: the handler runs a batch pass through the request's position.
 */
import { RECOMPUTE_QUEUE } from '../../domain/names.js';
import type { JobQueue } from '../../domain/ports.js';
import type { BatchProjector } from './batchProjector.js';

/** A pass that fails (the batch store unreachable, say) is tried again, backing off. */
const RETRY = { attempts: 5, backoffMs: 500 } as const;

export interface RecomputeJob {
  /** The ledger position of the RecomputeRequested event: the pass runs at least through it. */
  readonly position: number;
}

/** Enqueues a pass through `position`; `requestId` makes a second enqueue of the same request one job. */
export const enqueueRecompute = (jobs: JobQueue, requestId: string, position: number): Promise<void> =>
  jobs.enqueue(RECOMPUTE_QUEUE, requestId, { position } satisfies RecomputeJob, RETRY);

/** A payload this build did not write (another version's, or a hand-made job) is refused with what was wrong. */
export const recomputeJobOf = (payload: unknown): RecomputeJob => {
  const position = (payload as Partial<RecomputeJob> | null | undefined)?.position;
  if (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 0) {
    throw new Error(`${RECOMPUTE_QUEUE} job: expected a payload { position: a ledger position (integer ≥ 0) }, got ${JSON.stringify(payload)}`);
  }
  return { position };
};

/** Makes the batch projector run every recompute job as it arrives. */
export const processRecomputeJobs = (jobs: JobQueue, projector: Pick<BatchProjector, 'runThrough'>): void =>
  jobs.process(RECOMPUTE_QUEUE, async (payload) => {
    await projector.runThrough(recomputeJobOf(payload).position);
  });
