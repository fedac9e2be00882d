/**
 * The alert engine: a ledger subscriber that runs the detectors (the alert fold) over trades and
 * appends what they conclude through the RecordAlerts command — never around the ledger.
 *
 * Snapshots: every `snapshotEveryEvents` events or `snapshotIntervalMs`, once a batch's alerts
 * are appended, the fold's whole state is saved with the ledger position it covers (and that
 * event's hash). A start restores the newest snapshot and follows the ledger from its position;
 * a snapshot of another fold version, of another ledger, or unreadable is logged with the reason
 * and the engine folds from position 0 instead, which is always correct, only slower.
 *
 * Restart safety does not depend on the snapshot being recent: what the engine concluded after it
 * is concluded again, and the deterministic alert ids make those re-conclusions duplicates the
 * ledger drops. So a crash between an append and the next snapshot loses nothing and raises
 * nothing twice; the same holds when an append fails (the ledger unreachable, say): the engine
 * logs it, and after a pause resumes by itself from its snapshot.
 */
import { upcastEvent } from '../../domain/events/catalogue.js';
import type { RecordedEvent } from '../../domain/events/envelope.js';
import { createAlertFold, type AlertFold, type AlertOutput } from '../../domain/detectors/alertFold.js';
import type { Clock, Ledger, SnapshotStore, Subscription } from '../../domain/ports.js';
import type { CommandOrigin } from '../../commands/commandContext.js';
import { ALERT_ENGINE_ACTOR } from '../../commands/recordAlerts.js';
import type { Follower, FollowerStats } from '../follower.js';
import { createFollowerProgress } from '../followerProgress.js';
import { restoreFoldAt, saveFoldAt, silentLog, type AlertEngineLog } from './foldSnapshots.js';

export const ALERT_ENGINE_SNAPSHOT = 'alert-engine';
export type { AlertEngineLog } from './foldSnapshots.js';

export interface AlertEngineStats extends FollowerStats {
  /** The position the engine resumed after on start: a snapshot's, or 0 for a full replay. */
  readonly restoredFrom: number;
  readonly snapshotsSaved: number;
  readonly raised: number;
  readonly resolved: number;
  readonly duplicates: number;
  readonly late: number;
  readonly rules: number;
}

/**
 * `waitFor` resolves once the engine has folded (and recorded the alerts of) every event up to
 * the position; `stop` saves a last snapshot.
 */
export type AlertEngine = Follower<AlertEngineStats>;

export interface AlertEngineDeps {
  readonly ledger: Ledger;
  readonly allowedLatenessMs: number;
  readonly record: (outputs: readonly AlertOutput[], origin: CommandOrigin) => Promise<{ appended: number; duplicates: number }>;
  readonly snapshots: SnapshotStore;
  readonly clock: Clock;
  readonly snapshotEveryEvents: number;
  readonly snapshotIntervalMs: number;
  /** The snapshot's name in the store (one per engine deployment). */
  readonly snapshotName?: string;
  readonly log?: AlertEngineLog;
  readonly batchSize?: number;
  /** Pause before following the ledger again after a failure (ms, default 1000). */
  readonly retryDelayMs?: number;
}

export const createAlertEngine = (deps: AlertEngineDeps): AlertEngine => {
  const name = deps.snapshotName ?? ALERT_ENGINE_SNAPSHOT;
  const stored = { ledger: deps.ledger, snapshots: deps.snapshots, options: { allowedLatenessMs: deps.allowedLatenessMs }, log: deps.log ?? silentLog };
  let fold: AlertFold = createAlertFold(stored.options);
  let checkpoint = 0;
  let checkpointHash = '';
  let restoredFrom = 0;
  let snapshotsSaved = 0;
  let savedThrough = 0;
  let savedAt = deps.clock.now();
  let raised = 0;
  let resolved = 0;
  let duplicates = 0;
  let subscription: Subscription | undefined;
  let batchNo = 0;
  const progress = createFollowerProgress();
  const batchSize = deps.batchSize ?? 5_000;
  /**
   * The appends of folded pages, chained in position order. During a replay the next page is
   * folded while the previous page's alerts are still being appended, so the engine keeps pace
   * with the other followers instead of losing a turn per append; a page's checkpoint moves only
   * once its alerts are in the ledger.
   */
  let appending: Promise<void> = Promise.resolve();
  /** The chain without its newest page. */
  let appendingBefore: Promise<void> = appending;
  let pagesAppending = 0;
  let appendFailure: unknown;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;
  const retryDelayMs = deps.retryDelayMs ?? 1_000;

  /** Resumes from the stored snapshot when it is usable; else from position 0 (the reason logged). */
  const restore = async (): Promise<void> => {
    const at = await restoreFoldAt(stored, name);
    if (at === undefined) return;
    fold = at.fold;
    checkpoint = savedThrough = restoredFrom = at.checkpoint;
    checkpointHash = at.checkpointHash;
  };

  /** Saves the fold as it stands after `checkpoint` (its alerts already appended). */
  const save = async (): Promise<void> => {
    // While pages are appending, or after one failed to, the fold is ahead of the checkpoint: that state is not saved.
    if (checkpoint === savedThrough || pagesAppending > 0 || appendFailure !== undefined) return;
    const through = checkpoint;
    if (await saveFoldAt(stored, name, { fold, checkpoint, checkpointHash })) {
      snapshotsSaved++;
      savedThrough = through;
    }
    savedAt = deps.clock.now();
  };

  const saveDue = (): boolean => checkpoint - savedThrough >= deps.snapshotEveryEvents || deps.clock.now() - savedAt >= deps.snapshotIntervalMs;

  /** Appends one folded page's alerts, then moves the checkpoint past the page. */
  const append = (outputs: readonly AlertOutput[], last: RecordedEvent, correlationId: string) => async (): Promise<void> => {
    // A failed append stops every later page: their alerts must not land without the earlier ones.
    if (appendFailure !== undefined) throw appendFailure;
    if (outputs.length > 0) {
      const r = await deps.record(outputs, { actor: ALERT_ENGINE_ACTOR, correlationId, source: 'alert-engine' });
      duplicates += r.duplicates;
      for (const o of outputs) if (o.type === 'AlertRaised') raised++;
      resolved += outputs.length - outputs.filter((o) => o.type === 'AlertRaised').length;
    }
    checkpoint = last.position;
    checkpointHash = last.leafHash;
    progress.reached(checkpoint);
  };

  const handle = async (events: readonly RecordedEvent[]): Promise<void> => {
    const last = events[events.length - 1];
    if (last === undefined) return;
    // At most one page appending behind the one being folded; a snapshot needs them all landed.
    if (pagesAppending > 0 && saveDue()) await appending;
    else if (pagesAppending > 1) await appendingBefore;
    if (appendFailure !== undefined) throw appendFailure;
    if (saveDue()) await save();
    const outputs: AlertOutput[] = [];
    for (const raw of events) {
      const e = upcastEvent(raw);
      if (e !== undefined) for (const o of fold.apply(e)) outputs.push(o);
    }
    pagesAppending++;
    appendingBefore = appending;
    appending = appending
      .then(append(outputs, last, `alert-engine-${last.position}-${batchNo++}`))
      .catch((e: unknown) => void (appendFailure ??= e))
      .finally(() => void pagesAppending--);
    // Short of a full page the engine is at the ledger's tail: the page is done when its alerts are in.
    if (events.length < batchSize) {
      await appending;
      if (appendFailure !== undefined) throw appendFailure;
      if (saveDue()) await save();
    }
  };

  /**
   * Restores the fold (from its snapshot, else from position 0) and follows the ledger from its
   * position. After a failure the fold may be ahead of what was appended, so it is dropped and
   * this runs again after a pause: what is concluded a second time is dropped by the ledger as a
   * duplicate, so nothing is lost and nothing raised twice.
   */
  const follow = async (): Promise<void> => {
    // Every page of a failed run has settled (refused) before the state they close over is reset.
    await appending;
    fold = createAlertFold(stored.options);
    checkpoint = savedThrough = restoredFrom = 0;
    checkpointHash = '';
    appending = appendingBefore = Promise.resolve();
    appendFailure = undefined;
    await restore();
    if (stopped) return;
    progress.reached(checkpoint);
    const sub = deps.ledger.subscribe(checkpoint, handle, { batchSize });
    subscription = sub;
    // Caught up once the last page's alerts are in the ledger, not only folded.
    const appended = async (): Promise<void> => {
      await appending;
      if (appendFailure !== undefined) throw appendFailure;
    };
    progress.follow({ caughtUp: sub.caughtUp.then(appended), done: sub.done });
    sub.done.catch((e: unknown) => {
      if (stopped) return;
      stored.log.warn(`alert engine: stopped following the ledger after position ${checkpoint} (${e instanceof Error ? e.message : String(e)}); resuming from its snapshot in ${retryDelayMs} ms`, e);
      retryTimer = setTimeout(() => void follow().catch((err: unknown) => stored.log.warn('alert engine: cannot resume; restart the platform', err)), retryDelayMs);
    });
  };

  return {
    async start() {
      await follow();
    },
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      await subscription?.stop();
      await appending;
      if (subscription !== undefined) await save();
    },
    caughtUp: progress.caughtUp,
    waitFor: progress.waitFor,
    stats: () => ({ checkpoint, restoredFrom, snapshotsSaved, raised, resolved, duplicates, late: fold.late(), rules: fold.activeRules() }),
  };
};
