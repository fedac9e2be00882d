/** The adapters a profile provides for the platform's ports; everything else is shared. */
import type { Redis } from 'ioredis';
import type { BatchStore, Broadcaster, Bus, ExclusiveLocks, JobQueue, Ledger, LiveStore, SnapshotStore } from '../../domain/ports.js';

export interface AdapterSet {
  readonly ledger: Ledger;
  readonly live: LiveStore;
  readonly batch: BatchStore;
  readonly jobs: JobQueue;
  readonly broadcaster: Broadcaster;
  /** Followers' saved state (the alert engine's detectors), so a restart need not replay the ledger. */
  readonly snapshots: SnapshotStore;
  /**
   * Where the relay publishes the ledger's events for other processes (Kafka on the cluster).
   * The embedded profile has none: everything that would consume it runs in the same process
   * and follows the ledger directly.
   */
  readonly bus: Bus | undefined;
  /** Where the API's rate-limit counters are shared by every API process (Redis on the cluster); none: each process counts its own. */
  readonly rateLimitRedis: Redis | undefined;
  /** The locks of the roles that run once across processes (PostgreSQL on the cluster); none: one process runs every role. */
  readonly locks: ExclusiveLocks | undefined;
}
