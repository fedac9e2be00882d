/**
 * The alert engine on a worker thread of its own (alertEngineWorker.ts), so the detectors' fold
 * and the encoding of its snapshots use the second core instead of the thread that appends to the
 * ledger and runs the live projection. Seen from here it is the same Follower as the in-thread
 * engine: this side owns the ledger, the RecordAlerts command and the snapshot store, and answers
 * the worker's reads, feeds it the subscription's pages in position order (the next only once it
 * has handled the last), appends the alerts it concludes and stores the snapshots it saves.
 *
 * Failure modes beyond the in-thread engine's: the worker dies (an uncaught error, or it is
 * terminated). Its subscription is stopped and, after the retry pause, a new worker starts from
 * the engine's snapshot, exactly as the engine resumes after a failed append: what was concluded
 * after the snapshot is concluded again and dropped by the ledger as duplicates (deterministic
 * alert ids), so nothing is lost and nothing raised twice.
 */
import type { Worker } from 'node:worker_threads';
import type { Subscription } from '../../../domain/ports.js';
import { createFollowerProgress } from '../../followerProgress.js';
import { startModuleWorker } from '../../threads/moduleWorker.js';
import type { AlertEngine, AlertEngineDeps, AlertEngineStats } from '../alertEngine.js';
import { silentLog } from '../foldSnapshots.js';
import { messageOf, type AlertEngineThreadSettings, type FromWorker, type ToWorker, type WorkerCall } from './threadMessages.js';

export interface AlertEngineThreadDeps extends AlertEngineDeps {
  /** Told each time the worker died and is restarted (default: the engine's log). */
  readonly onWorkerExit?: (reason: string) => void;
}

export type ThreadedAlertEngine = AlertEngine & {
  /** Ends the worker as a crash would (for the failure-mode tests); it restarts after the retry pause. A kill during that pause ends the restarted worker. */
  killWorker(): Promise<void>;
};

export const createAlertEngineThread = (deps: AlertEngineThreadDeps): ThreadedAlertEngine => {
  const log = deps.log ?? silentLog;
  const retryDelayMs = deps.retryDelayMs ?? 1_000;
  const settings: AlertEngineThreadSettings = {
    allowedLatenessMs: deps.allowedLatenessMs,
    snapshotEveryEvents: deps.snapshotEveryEvents,
    snapshotIntervalMs: deps.snapshotIntervalMs,
    ...(deps.snapshotName === undefined ? {} : { snapshotName: deps.snapshotName }),
    ...(deps.batchSize === undefined ? {} : { batchSize: deps.batchSize }),
    ...(deps.retryDelayMs === undefined ? {} : { retryDelayMs: deps.retryDelayMs }),
  };
  const progress = createFollowerProgress();
  let stats: AlertEngineStats = { checkpoint: 0, restoredFrom: 0, snapshotsSaved: 0, raised: 0, resolved: 0, duplicates: 0, late: 0, rules: 0 };
  /** Counts of the workers before the current one: a restarted worker counts from zero again. */
  let earlier = { raised: 0, resolved: 0, duplicates: 0, snapshotsSaved: 0 };
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let current: { worker: Worker; subscriptions: Map<number, { sub: Subscription; pageDone?: (error?: string) => void }>; replies: Map<number, (m: Extract<FromWorker, { kind: 'reply' }>) => void> } | undefined;

  let resolveCaughtUp!: () => void;
  let rejectCaughtUp!: (e: Error) => void;
  const firstCaughtUp = new Promise<void>((res, rej) => {
    resolveCaughtUp = res;
    rejectCaughtUp = rej;
  });
  progress.follow({ caughtUp: firstCaughtUp, done: new Promise<void>(() => undefined) });

  const answer = async (call: WorkerCall): Promise<unknown> => {
    switch (call.op) {
      case 'read':
        return deps.ledger.read(call.after, call.limit);
      case 'record':
        return deps.record(call.outputs, call.origin);
      case 'loadSnapshot':
        return deps.snapshots.load(call.name);
      case 'saveSnapshot':
        return deps.snapshots.save(call.name, call.snapshot);
    }
  };

  const spawn = (): NonNullable<typeof current> => {
    const worker = startModuleWorker(import.meta.url, './alertEngineWorker', settings);
    const self: NonNullable<typeof current> = { worker, subscriptions: new Map(), replies: new Map() };
    const send = (m: ToWorker): void => {
      if (current === self) worker.postMessage(m);
    };
    worker.on('message', (m: FromWorker) => {
      switch (m.kind) {
        case 'call':
          answer(m.call).then(
            (value) => send({ kind: 'reply', id: m.id, value }),
            (e: unknown) => send({ kind: 'reply', id: m.id, error: messageOf(e) }),
          );
          return;
        case 'subscribe': {
          const entry: { sub: Subscription; pageDone?: (error?: string) => void } = {
            sub: deps.ledger.subscribe(m.after, (events) =>
              new Promise<void>((resolve, reject) => {
                entry.pageDone = (error) => (error === undefined ? resolve() : reject(new Error(error)));
                send({ kind: 'page', sub: m.sub, events });
              }), { batchSize: m.batchSize }),
          };
          self.subscriptions.set(m.sub, entry);
          entry.sub.caughtUp.then(() => send({ kind: 'subCaughtUp', sub: m.sub }), () => undefined);
          entry.sub.done.then(
            () => send({ kind: 'subDone', sub: m.sub }),
            (e: unknown) => send({ kind: 'subDone', sub: m.sub, error: messageOf(e) }),
          );
          return;
        }
        case 'unsubscribe':
          void self.subscriptions.get(m.sub)?.sub.stop();
          return;
        case 'pageDone': {
          const entry = self.subscriptions.get(m.sub);
          const done = entry?.pageDone;
          if (entry !== undefined) delete entry.pageDone;
          done?.(m.error);
          return;
        }
        case 'stats':
          stats = {
            ...m.stats,
            raised: earlier.raised + m.stats.raised,
            resolved: earlier.resolved + m.stats.resolved,
            duplicates: earlier.duplicates + m.stats.duplicates,
            snapshotsSaved: earlier.snapshotsSaved + m.stats.snapshotsSaved,
          };
          progress.reached(m.stats.checkpoint);
          return;
        case 'caughtUp':
          resolveCaughtUp();
          return;
        case 'failed':
          rejectCaughtUp(new Error(m.error));
          return;
        case 'log':
          if (m.level === 'info') log.info(m.message);
          else log.warn(m.message, m.error === undefined ? undefined : new Error(m.error));
          return;
        case 'reply':
          self.replies.get(m.id)?.(m);
          self.replies.delete(m.id);
          return;
      }
    });
    worker.on('error', (e) => void died(self, `the alert engine's thread failed: ${e.message}`));
    worker.on('exit', (code) => void died(self, `the alert engine's thread exited (code ${code})`));
    return self;
  };

  let nextCommand = 0;
  const command = (self: NonNullable<typeof current>, kind: 'start' | 'stop'): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const id = nextCommand++;
      self.replies.set(id, (m) => (m.error === undefined ? resolve() : reject(new Error(m.error))));
      self.worker.postMessage({ kind, id } satisfies ToWorker);
    });

  /** A worker gone without being asked to stop: its subscriptions end, and a new one starts from the snapshot. */
  const died = async (self: NonNullable<typeof current>, reason: string): Promise<void> => {
    if (current !== self) return;
    current = undefined;
    earlier = { raised: stats.raised, resolved: stats.resolved, duplicates: stats.duplicates, snapshotsSaved: stats.snapshotsSaved };
    for (const reply of self.replies.values()) reply({ kind: 'reply', id: -1, error: reason });
    // A page the dead worker never handed back fails its delivery, so each subscription can stop.
    for (const s of self.subscriptions.values()) s.pageDone?.(reason);
    await Promise.all([...self.subscriptions.values()].map((s) => s.sub.stop().catch(() => undefined)));
    if (stopped) return;
    (deps.onWorkerExit ?? ((r: string) => log.warn(`alert engine: ${r}; restarting it from its snapshot in ${retryDelayMs} ms`)))(reason);
    retryTimer = setTimeout(() => void run().catch((e: unknown) => log.warn('alert engine: cannot restart its thread; restart the platform', e)), retryDelayMs);
  };

  /** Told when a worker is current again (after a restart's pause). */
  let whenRunning: Array<() => void> = [];
  const run = async (): Promise<void> => {
    const self = spawn();
    current = self;
    for (const w of whenRunning) w();
    whenRunning = [];
    await command(self, 'start');
  };

  return {
    start: run,
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      for (const w of whenRunning) w();
      whenRunning = [];
      const self = current;
      if (self === undefined) return;
      await command(self, 'stop');
      current = undefined;
      await Promise.all([...self.subscriptions.values()].map((s) => s.sub.stop()));
      await self.worker.terminate();
    },
    caughtUp: progress.caughtUp,
    waitFor: progress.waitFor,
    stats: () => stats,
    async killWorker() {
      // Between a death and its restart there is no worker to kill: wait for the restarted one,
      // or a second kill right after a first would end nothing.
      if (current === undefined && !stopped) await new Promise<void>((resolve) => whenRunning.push(resolve));
      await current?.worker.terminate();
    },
  };
};
