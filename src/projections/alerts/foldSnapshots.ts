/**
 * Saving and restoring an alert fold with the ledger position it covers, shared by the ledger
 * alert engine (one snapshot) and the Kafka one (one per partition). A snapshot is used only
 * when it is of this fold version, names an event this very ledger holds at its position (same
 * hash), and reads back as a fold; otherwise the reason is logged and the caller folds from the
 * start, which is always correct, only slower.
 */
import { ALERT_FOLD_VERSION, restoreAlertFold, type AlertFold, type AlertFoldOptions } from '../../domain/detectors/alertFold.js';
import { decodeSnapshot, encodeSnapshot } from '../../domain/detectors/snapshotCodec.js';
import type { Ledger, SnapshotStore } from '../../domain/ports.js';

export interface AlertEngineLog {
  info(message: string): void;
  warn(message: string, err?: unknown): void;
}

export const silentLog: AlertEngineLog = { info: () => undefined, warn: () => undefined };

/** A fold and the ledger event it has folded through. */
export interface FoldAt {
  readonly fold: AlertFold;
  readonly checkpoint: number;
  readonly checkpointHash: string;
}

export interface FoldSnapshotDeps {
  readonly ledger: Ledger;
  readonly snapshots: SnapshotStore;
  readonly options: AlertFoldOptions;
  readonly log: AlertEngineLog;
}

/** The fold saved under `name`, or undefined (nothing saved, or unusable: the reason is logged) to fold from position 0. */
export const restoreFoldAt = async (deps: FoldSnapshotDeps, name: string): Promise<FoldAt | undefined> => {
  const replay = (why: string): undefined => {
    deps.log.warn(`alert engine: ${why}; folding the ledger from position 0 instead`);
    return undefined;
  };
  let stored;
  try {
    stored = await deps.snapshots.load(name);
  } catch (e) {
    deps.log.warn(`alert engine: cannot read its snapshot "${name}"; folding the ledger from position 0 instead`, e);
    return undefined;
  }
  if (stored === undefined) return undefined;
  if (stored.version !== ALERT_FOLD_VERSION) return replay(`snapshot "${name}" is of fold version ${stored.version}, this engine folds version ${ALERT_FOLD_VERSION}`);
  const [atCheckpoint] = await deps.ledger.read(stored.checkpoint - 1, 1);
  if (atCheckpoint?.position !== stored.checkpoint || atCheckpoint.leafHash !== stored.checkpointHash) {
    return replay(`snapshot "${name}" at position ${stored.checkpoint} does not match this ledger (${atCheckpoint === undefined ? 'no such position' : 'another event there'})`);
  }
  const decoded = decodeSnapshot(stored.state);
  const restored = decoded.ok ? restoreAlertFold(deps.options, decoded.value) : decoded;
  if (!restored.ok) return replay(`snapshot "${name}" at position ${stored.checkpoint} is unusable: ${restored.reason}`);
  deps.log.info(`alert engine: resumed from its snapshot "${name}" at ledger position ${stored.checkpoint}`);
  return { fold: restored.fold, checkpoint: stored.checkpoint, checkpointHash: stored.checkpointHash };
};

/** Saves `at` under `name`; false (logged) when the store refused: that only costs a longer replay later. */
export const saveFoldAt = async (deps: FoldSnapshotDeps, name: string, at: FoldAt): Promise<boolean> => {
  try {
    await deps.snapshots.save(name, { checkpoint: at.checkpoint, checkpointHash: at.checkpointHash, version: ALERT_FOLD_VERSION, state: encodeSnapshot(at.fold.snapshot()) });
    return true;
  } catch (e) {
    deps.log.warn(`alert engine: saving its snapshot "${name}" at position ${at.checkpoint} failed; it will try again`, e);
    return false;
  }
};
