/** The adapters a profile provides for the platform's ports; everything else is shared. */
import type { BatchStore, Broadcaster, JobQueue, Ledger, LiveStore } from '../../domain/ports.js';

export interface AdapterSet {
  readonly ledger: Ledger;
  readonly live: LiveStore;
  readonly batch: BatchStore;
  readonly jobs: JobQueue;
  readonly broadcaster: Broadcaster;
}
