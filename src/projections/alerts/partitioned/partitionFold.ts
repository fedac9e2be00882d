/**
 * One partition's alert fold in the consumer-group engine: the fold, the ledger event it has
 * folded through, how far its alerts are recorded, and when it was last saved. Snapshots are
 * per partition, keyed by the ledger position of the last event folded.
 */
import { upcastEvent } from '../../../domain/events/catalogue.js';
import type { RecordedEvent } from '../../../domain/events/envelope.js';
import { createAlertFold, type AlertOutput } from '../../../domain/detectors/alertFold.js';
import type { Clock } from '../../../domain/ports.js';
import { restoreFoldAt, saveFoldAt, type FoldAt, type FoldSnapshotDeps } from '../foldSnapshots.js';

export interface PartitionFold {
  fold: FoldAt['fold'];
  checkpoint: number;
  checkpointHash: string;
  /** Position through which its alerts are in the ledger. */
  recorded: number;
  /** False until the ledger between its snapshot and its first message is folded. */
  joined: boolean;
  savedThrough: number;
  savedAt: number;
}

export interface PartitionSnapshots {
  readonly stored: FoldSnapshotDeps;
  readonly clock: Clock;
  /** The consumer group: a partition's snapshot is the group's, whichever member folded it. */
  readonly group: string;
  readonly snapshotEveryEvents: number;
  readonly snapshotIntervalMs: number;
}

const snapshotName = (group: string, p: number): string => `alert-engine/${group}/p${p}`;

/** Partition `p`'s fold as its snapshot left it, or a new fold at position 0 (nothing usable saved). */
export const restorePartitionFold = async (deps: PartitionSnapshots, p: number): Promise<PartitionFold> => {
  const at = await restoreFoldAt(deps.stored, snapshotName(deps.group, p));
  return {
    fold: at?.fold ?? createAlertFold(deps.stored.options),
    checkpoint: at?.checkpoint ?? 0,
    checkpointHash: at?.checkpointHash ?? '',
    recorded: at?.checkpoint ?? 0,
    joined: false,
    savedThrough: at?.checkpoint ?? 0,
    savedAt: deps.clock.now(),
  };
};

/** Folds one ledger event into the partition's fold; what it concludes goes to `out`. */
export const foldInto = (s: PartitionFold, raw: RecordedEvent, out: AlertOutput[]): void => {
  const e = upcastEvent(raw);
  if (e !== undefined) for (const o of s.fold.apply(e)) out.push(o);
  s.checkpoint = raw.position;
  s.checkpointHash = raw.leafHash;
};

/**
 * Saves the fold when it has moved since the last save and a save is due (`snapshotEveryEvents`
 * events or `snapshotIntervalMs` since), or whenever it moved if `force`. True when one was saved.
 */
export const savePartitionFold = async (deps: PartitionSnapshots, p: number, s: PartitionFold, force: boolean): Promise<boolean> => {
  if (s.checkpoint === s.savedThrough) return false;
  if (!force && s.checkpoint - s.savedThrough < deps.snapshotEveryEvents && deps.clock.now() - s.savedAt < deps.snapshotIntervalMs) return false;
  const through = s.checkpoint;
  const saved = await saveFoldAt(deps.stored, snapshotName(deps.group, p), { fold: s.fold, checkpoint: through, checkpointHash: s.checkpointHash });
  if (saved) s.savedThrough = through;
  s.savedAt = deps.clock.now();
  return saved;
};
