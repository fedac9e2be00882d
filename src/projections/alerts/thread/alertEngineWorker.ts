/**
 * The alert engine's thread: the engine of alertEngine.ts, unchanged, over stand-ins for what it
 * uses of the main thread. Reads, the subscription's pages, RecordAlerts and the snapshot store
 * are messages to the main thread (alertEngineThread.ts), which owns the ledger and the store;
 * the fold, its detectors and the encoding of its snapshots run here, on the second core.
 * Snapshot pacing uses this thread's wall clock.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RecordedEvent } from '../../../domain/events/envelope.js';
import type { Ledger, SnapshotStore, Subscription, SubscriptionHandler } from '../../../domain/ports.js';
import { createAlertEngine } from '../alertEngine.js';
import { messageOf, type AlertEngineThreadSettings, type FromWorker, type ToWorker, type WorkerCall } from './threadMessages.js';

const port = parentPort!;
const settings = workerData as AlertEngineThreadSettings;
const post = (m: FromWorker): void => port.postMessage(m);

let nextId = 0;
const calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
const ask = <T>(call: WorkerCall): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const id = nextId++;
    calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
    post({ kind: 'call', id, call });
  });

interface RemoteSubscription {
  readonly handler: SubscriptionHandler;
  readonly caughtUp: { resolve: () => void; reject: (e: Error) => void };
  readonly done: { resolve: () => void; reject: (e: Error) => void };
  /** The page being handled, so stop() resolves only once no handler call is running. */
  handling: Promise<void>;
}
let nextSub = 0;
const subscriptions = new Map<number, RemoteSubscription>();

const deferred = () => {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

/** Only what the engine and its snapshot restore use of a ledger: reads and the subscription. */
const ledger = {
  read: (after: number, limit: number) => ask<RecordedEvent[]>({ op: 'read', after, limit }),
  subscribe(after: number, handler: SubscriptionHandler, opts?: { batchSize?: number }): Subscription {
    const sub = nextSub++;
    const caughtUp = deferred();
    const done = deferred();
    caughtUp.promise.catch(() => undefined);
    subscriptions.set(sub, { handler, caughtUp, done, handling: Promise.resolve() });
    post({ kind: 'subscribe', sub, after, batchSize: opts?.batchSize ?? 1_000 });
    return {
      caughtUp: caughtUp.promise,
      done: done.promise,
      async stop() {
        const s = subscriptions.get(sub);
        post({ kind: 'unsubscribe', sub });
        await s?.handling;
        await done.promise.catch(() => undefined);
      },
    };
  },
} as unknown as Ledger;

const snapshots: SnapshotStore = {
  load: (name) => ask({ op: 'loadSnapshot', name }),
  save: (name, snapshot) => ask({ op: 'saveSnapshot', name, snapshot }),
  close: async () => undefined,
};

const engine = createAlertEngine({
  ledger,
  allowedLatenessMs: settings.allowedLatenessMs,
  record: (outputs, origin) => ask({ op: 'record', outputs, origin }),
  snapshots,
  clock: { now: () => Date.now() },
  snapshotEveryEvents: settings.snapshotEveryEvents,
  snapshotIntervalMs: settings.snapshotIntervalMs,
  ...(settings.snapshotName === undefined ? {} : { snapshotName: settings.snapshotName }),
  ...(settings.batchSize === undefined ? {} : { batchSize: settings.batchSize }),
  ...(settings.retryDelayMs === undefined ? {} : { retryDelayMs: settings.retryDelayMs }),
  log: {
    info: (message) => post({ kind: 'log', level: 'info', message }),
    warn: (message, err) => post({ kind: 'log', level: 'warn', message, ...(err === undefined ? {} : { error: messageOf(err) }) }),
  },
});

const handlePage = async (sub: number, s: RemoteSubscription, events: readonly RecordedEvent[]): Promise<void> => {
  try {
    await s.handler(events);
    post({ kind: 'pageDone', sub });
  } catch (e) {
    post({ kind: 'pageDone', sub, error: messageOf(e) });
    return;
  }
  // The engine moves its checkpoint once a page's alerts have landed, which may be after the page was handed back.
  const last = events[events.length - 1];
  if (last !== undefined) void engine.waitFor(last.position).then(() => post({ kind: 'stats', stats: engine.stats() }));
};

port.on('message', (m: ToWorker) => {
  switch (m.kind) {
    case 'reply': {
      const c = calls.get(m.id);
      calls.delete(m.id);
      if (m.error === undefined) c?.resolve(m.value);
      else c?.reject(new Error(m.error));
      return;
    }
    case 'page': {
      const s = subscriptions.get(m.sub);
      if (s !== undefined) s.handling = handlePage(m.sub, s, m.events);
      return;
    }
    case 'subCaughtUp':
      subscriptions.get(m.sub)?.caughtUp.resolve();
      return;
    case 'subDone': {
      const s = subscriptions.get(m.sub);
      subscriptions.delete(m.sub);
      if (m.error === undefined) s?.done.resolve();
      else s?.done.reject(new Error(m.error));
      s?.caughtUp.reject(new Error(m.error ?? 'the subscription stopped before it caught up'));
      return;
    }
    case 'start':
      void engine.start().then(
        () => {
          engine.caughtUp.then(
            () => post({ kind: 'caughtUp' }),
            (e: unknown) => post({ kind: 'failed', error: messageOf(e) }),
          );
          post({ kind: 'stats', stats: engine.stats() });
          post({ kind: 'reply', id: m.id });
        },
        (e: unknown) => post({ kind: 'reply', id: m.id, error: messageOf(e) }),
      );
      return;
    case 'stop':
      void engine.stop().then(
        () => {
          post({ kind: 'stats', stats: engine.stats() });
          post({ kind: 'reply', id: m.id });
        },
        (e: unknown) => post({ kind: 'reply', id: m.id, error: messageOf(e) }),
      );
      return;
  }
});
