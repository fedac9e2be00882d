/** The adapters a profile provides for the platform's ports; everything else is shared. */
import type { BatchStore, Broadcaster, Bus, JobQueue, Ledger, LiveStore } from '../../domain/ports.js';

export interface AdapterSet {
  readonly ledger: Ledger;
  readonly live: LiveStore;
  readonly batch: BatchStore;
  readonly jobs: JobQueue;
  readonly broadcaster: Broadcaster;
  /**
   * Where the relay publishes the ledger's events for other processes (Kafka on the cluster).
   * The embedded profile has none: everything that would consume it runs in the same process
   * and follows the ledger directly.
   */
  readonly bus: Bus | undefined;
}
