/**
 * What the alert engine's thread and the main thread say to each other. The engine runs
 * unchanged in the worker; what it uses of the main thread (the ledger's reads and subscription,
 * the RecordAlerts command, the snapshot store, the log) it asks for by message, so its
 * checkpoint and snapshots mean exactly what they mean in the main thread.
 */
import type { AlertOutput } from '../../../domain/detectors/alertFold.js';
import type { RecordedEvent } from '../../../domain/events/envelope.js';
import type { StoredSnapshot } from '../../../domain/ports.js';
import type { CommandOrigin } from '../../../commands/commandContext.js';
import type { AlertEngineStats } from '../alertEngine.js';

/** What the worker is built with: the engine's settings that are plain data. */
export interface AlertEngineThreadSettings {
  readonly allowedLatenessMs: number;
  readonly snapshotEveryEvents: number;
  readonly snapshotIntervalMs: number;
  readonly snapshotName?: string;
  readonly batchSize?: number;
  readonly retryDelayMs?: number;
}

/** A call the worker makes and the main thread answers with a `reply` of the same id. */
export type WorkerCall =
  | { readonly op: 'read'; readonly after: number; readonly limit: number }
  | { readonly op: 'record'; readonly outputs: readonly AlertOutput[]; readonly origin: CommandOrigin }
  | { readonly op: 'loadSnapshot'; readonly name: string }
  | { readonly op: 'saveSnapshot'; readonly name: string; readonly snapshot: StoredSnapshot };

export type FromWorker =
  | { readonly kind: 'call'; readonly id: number; readonly call: WorkerCall }
  | { readonly kind: 'subscribe'; readonly sub: number; readonly after: number; readonly batchSize: number }
  | { readonly kind: 'unsubscribe'; readonly sub: number }
  /** The engine handled page `sub`'s last delivery (or threw: `error`). */
  | { readonly kind: 'pageDone'; readonly sub: number; readonly error?: string }
  | { readonly kind: 'stats'; readonly stats: AlertEngineStats }
  | { readonly kind: 'caughtUp' }
  | { readonly kind: 'failed'; readonly error: string }
  | { readonly kind: 'log'; readonly level: 'info' | 'warn'; readonly message: string; readonly error?: string }
  | { readonly kind: 'reply'; readonly id: number; readonly value?: unknown; readonly error?: string };

export type ToWorker =
  | { readonly kind: 'reply'; readonly id: number; readonly value?: unknown; readonly error?: string }
  | { readonly kind: 'page'; readonly sub: number; readonly events: readonly RecordedEvent[] }
  | { readonly kind: 'subCaughtUp'; readonly sub: number }
  | { readonly kind: 'subDone'; readonly sub: number; readonly error?: string }
  | { readonly kind: 'start'; readonly id: number }
  | { readonly kind: 'stop'; readonly id: number };

export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
