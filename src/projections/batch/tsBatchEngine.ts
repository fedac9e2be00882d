/**
 * The `ts` batch engine: the batch projector's own fold rebuilds the symbol-days in this process
 * and commits them through the BatchStore port, whichever store the profile has. It talks to no
 * server, so it lives beside the projector rather than under adapters/ (the `spark` engine does).
 */
import { BATCH_PROJECTOR } from '../../domain/names.js';
import type { BatchEngine, BatchStore, Ledger } from '../../domain/ports.js';
import { buildRecomputeWrite } from './recomputeSymbolDays.js';

export const createTsBatchEngine = (deps: { readonly ledger: Ledger; readonly store: BatchStore }): BatchEngine => ({
  name: 'ts',
  async recompute(task) {
    const { write, version } = await buildRecomputeWrite(deps.ledger, deps.store, task, task.throughPosition);
    // The checkpoint stays before the request: the projector moves it past once the recompute is recorded.
    await deps.store.commit(BATCH_PROJECTOR, write, task.throughPosition - 1);
    return { version };
  },
});
