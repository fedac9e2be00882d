/**
 * The embedded batch engine: the TS projector's own fold (src/projections/batch/) rebuilds the
 * symbol-days in this process and commits them through the BatchStore port, whichever store
 * the profile has.
 */
import type { BatchEngine, BatchStore, Ledger } from '../../../domain/ports.js';
import { buildRecomputeWrite } from '../../../projections/batch/recomputeSymbolDays.js';
import { BATCH_PROJECTOR } from '../../../domain/names.js';

export const createTsBatchEngine = (deps: { readonly ledger: Ledger; readonly store: BatchStore }): BatchEngine => ({
  name: 'ts',
  async recompute(task) {
    const { write, version } = await buildRecomputeWrite(deps.ledger, deps.store, task, task.throughPosition);
    // The checkpoint stays before the request: the projector moves it past once the recompute is recorded.
    await deps.store.commit(BATCH_PROJECTOR, write, task.throughPosition - 1);
    return { version };
  },
});
