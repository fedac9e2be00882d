/**
 * The speed layer: folds trades and klines from the ledger into the LiveStore, minute slots by
 * event time with watermarks, and fans updates out to live subscribers.
 *
 * Checkpoint and output go to the store in one commit, so after a crash the projection resumes
 * exactly after the last committed position: nothing is applied twice or skipped. A persistent
 * store (Redis) therefore survives a restart without a rebuild; a memory store loads empty and
 * the projection rebuilds from position 0.
 *
 * When a commit fails the projection resumes by itself from what the store holds, after a
 * pause; when the store has lost its state (LiveStoreResetError: flushed), it is cleared and
 * rebuilt from the ledger. No manual step either way.
 */
import { upcastEvent } from '../../domain/events/catalogue.js';
import type { RecordedEvent } from '../../domain/events/envelope.js';
import { candleView } from '../../domain/folds/candle.js';
import { slotCandle } from '../../domain/folds/minuteSlot.js';
import {
  evictExpired,
  foldKline,
  foldTrade,
  newSeries,
  seriesKeyOf,
  type SeriesState,
  type SpeedPolicy,
} from '../../domain/folds/series.js';
import { isLiveStoreResetError, LiveStoreResetError } from '../../domain/errors.js';
import type { Broadcaster, Ledger, LiveStore, SeriesDelta, Subscription } from '../../domain/ports.js';
import type { StreamMessage } from './streamMessages.js';
import { LIVE_PROJECTION, streamChannel } from '../../domain/names.js';
import type { Follower, FollowerStats } from '../follower.js';
import { createFollowerProgress } from '../followerProgress.js';

export interface LiveProjectionStats extends FollowerStats {
  readonly applied: number;
  readonly late: number;
  readonly series: number;
}

/** Its checkpoint is the store's: `waitFor` waits for the live store to hold the position. */
export interface LiveProjection extends Follower<LiveProjectionStats> {
  /** Coverage of a symbol's series as last committed to the store (the checkpoint's state). */
  coverage(symbol: string): ReadonlyArray<{ readonly exchange: string; readonly coveredFrom: number }>;
  /**
   * Moves whenever what the store holds may have changed: a commit that changed a series, a
   * resume, a rebuild. A commit of other events (predictions, alerts) moves the checkpoint, not
   * this, so answers cached against it outlive them.
   */
  contentVersion(): number;
}

export interface LiveProjectionDeps {
  readonly ledger: Ledger;
  readonly store: LiveStore;
  readonly broadcaster: Broadcaster;
  readonly policy: SpeedPolicy;
  readonly batchSize?: number;
  /** Told of a failed batch before the projection resumes (default: ignored). */
  readonly onError?: (error: unknown, action: 'resume' | 'rebuild') => void;
  /** Pause before resuming after a failure (ms, default 1000). */
  readonly retryDelayMs?: number;
  /**
   * How often to compare the store's checkpoint with ours (ms, default 5000; 0 = never). A store
   * flushed while no events arrive is noticed here rather than at the next commit.
   */
  readonly watchIntervalMs?: number;
}

export const createLiveProjection = (deps: LiveProjectionDeps): LiveProjection => {
  const series = new Map<string, SeriesState>();
  let checkpoint = 0;
  let contentVersion = 0;
  let applied = 0;
  let late = 0;
  let subscription: Subscription | undefined;
  let stopped = false;
  let recovering = false;
  let watchTimer: NodeJS.Timeout | undefined;
  const progress = createFollowerProgress();
  /** Per symbol, per exchange: coveredFrom as committed, so readers need not ask the store. */
  const committedCoverage = new Map<string, Map<string, number>>();
  const noteCoverage = (symbol: string, exchange: string, coveredFrom: number): void => {
    let bySymbol = committedCoverage.get(symbol);
    if (bySymbol === undefined) committedCoverage.set(symbol, (bySymbol = new Map()));
    bySymbol.set(exchange, coveredFrom);
  };

  const seriesFor = (exchange: string, symbol: string): SeriesState => {
    const key = seriesKeyOf(exchange, symbol);
    let s = series.get(key);
    if (s === undefined) {
      s = newSeries(exchange, symbol);
      series.set(key, s);
    }
    return s;
  };

  const handle = async (events: readonly RecordedEvent[]): Promise<void> => {
    const touched = new Set<SeriesState>();
    const tradesBySymbol = new Map<string, StreamMessage[]>();
    for (const raw of events) {
      const e = upcastEvent(raw);
      if (e === undefined) continue;
      if (e.type === 'TradeObserved') {
        const s = seriesFor(e.data.exchange, e.data.symbol);
        if (foldTrade(s, e.data, e.position, deps.policy) === 'applied') {
          applied++;
          touched.add(s);
          let list = tradesBySymbol.get(e.data.symbol);
          if (list === undefined) tradesBySymbol.set(e.data.symbol, (list = []));
          list.push({ type: 'trade', position: e.position, trade: e.data });
        } else late++;
      } else if (e.type === 'CandleObserved') {
        const s = seriesFor(e.data.exchange, e.data.symbol);
        const outcome = foldKline(s, e.data, deps.policy);
        if (outcome === 'applied') {
          applied++;
          touched.add(s);
        } else if (outcome === 'late') late++;
      }
    }
    const delta: SeriesDelta[] = [];
    const candleUpdates: Array<{ symbol: string; message: StreamMessage }> = [];
    for (const s of touched) {
      const evictions = evictExpired(s, deps.policy);
      const upserts: Array<readonly [number, NonNullable<ReturnType<SeriesState['minutes']['get']>>]> = [];
      for (const minute of s.dirty) {
        const slot = s.minutes.get(minute);
        if (slot === undefined) continue;
        upserts.push([minute, slot]);
        const c = slotCandle(slot);
        if (c !== undefined) {
          candleUpdates.push({ symbol: s.symbol, message: { type: 'candle', exchange: s.exchange, interval: '1m', candle: candleView(c) } });
        }
      }
      s.dirty.clear();
      delta.push({
        exchange: s.exchange,
        symbol: s.symbol,
        maxEventTime: s.maxEventTime,
        lateEvents: s.lateEvents,
        coveredFrom: s.coveredFrom,
        latest: s.latest,
        upserts,
        evictions,
      });
    }
    const last = events[events.length - 1];
    if (last === undefined) return;
    await deps.store.commit(LIVE_PROJECTION, delta, last.position);
    checkpoint = last.position;
    if (delta.length > 0) contentVersion++;
    for (const d of delta) noteCoverage(d.symbol, d.exchange, d.coveredFrom);
    for (const [symbol, messages] of tradesBySymbol) {
      deps.broadcaster.publish(streamChannel(symbol), { type: 'trades', trades: messages });
    }
    for (const u of candleUpdates) deps.broadcaster.publish(streamChannel(u.symbol), u.message);
    progress.reached(checkpoint);
  };

  /** Loads the store's checkpoint and state, then follows the ledger from there. */
  const resume = async (): Promise<void> => {
    const loaded = await deps.store.load(LIVE_PROJECTION);
    contentVersion++;
    series.clear();
    committedCoverage.clear();
    checkpoint = loaded.checkpoint;
    // After a flush the store holds less than was committed: waits past what it holds wait for the rebuild.
    progress.rewound(checkpoint);
    for (const snap of loaded.series) {
      const s = newSeries(snap.exchange, snap.symbol, snap.coveredFrom);
      s.maxEventTime = snap.maxEventTime;
      s.lateEvents = snap.lateEvents;
      s.latest = snap.latest;
      for (const [minute, slot] of snap.minutes) s.minutes.set(minute, slot);
      series.set(seriesKeyOf(snap.exchange, snap.symbol), s);
      noteCoverage(snap.symbol, snap.exchange, snap.coveredFrom);
    }
    if (stopped) return;
    const sub = deps.ledger.subscribe(checkpoint, handle, { batchSize: deps.batchSize ?? 5_000 });
    subscription = sub;
    // A failed subscription is recovered below, not the end of catching up: only its catch-up counts.
    progress.follow({ caughtUp: sub.caughtUp, done: sub.done.catch(() => undefined) });
    // Deferred a turn: a recovery that started this subscription has finished by then.
    sub.done.then(undefined, (e: unknown) => void setImmediate(() => void recover(e)));
  };

  /** After a failed batch: rebuild if the store lost its state, else resume from its checkpoint; retried until it works or stops. */
  const recover = async (error: unknown): Promise<void> => {
    if (recovering || stopped) return;
    recovering = true;
    try {
      let rebuild = isLiveStoreResetError(error);
      deps.onError?.(error, rebuild ? 'rebuild' : 'resume');
      await subscription?.stop();
      // A lost store is rebuilt at once; anything else (the store unreachable) waits before each try.
      let delay = rebuild ? 0 : (deps.retryDelayMs ?? 1_000);
      while (!stopped) {
        await new Promise((r) => setTimeout(r, delay));
        if (stopped) return;
        try {
          if (rebuild) await deps.store.clear();
          await resume();
          return;
        } catch (e) {
          rebuild = rebuild || isLiveStoreResetError(e);
          deps.onError?.(e, rebuild ? 'rebuild' : 'resume');
          delay = deps.retryDelayMs ?? 1_000;
        }
      }
    } finally {
      recovering = false;
    }
  };

  /** The store holding an older checkpoint than we committed means it lost state (a flush). */
  const watch = async (): Promise<void> => {
    if (recovering || stopped) return;
    // Ours is read first: the stored one, read after, can only be equal or newer unless lost.
    const ours = checkpoint;
    const stored = await deps.store.checkpoint(LIVE_PROJECTION).catch(() => undefined);
    if (stored !== undefined && stored < ours) await recover(new LiveStoreResetError(LIVE_PROJECTION, String(ours), String(stored)));
  };

  return {
    async start() {
      await resume();
      const every = deps.watchIntervalMs ?? 5_000;
      if (every > 0) {
        watchTimer = setInterval(() => void watch(), every);
        watchTimer.unref();
      }
    },
    async stop() {
      stopped = true;
      clearInterval(watchTimer);
      await subscription?.stop();
    },
    caughtUp: progress.caughtUp,
    waitFor: progress.waitFor,
    stats: () => ({ checkpoint, applied, late, series: series.size }),
    contentVersion: () => contentVersion,
    coverage: (symbol) => [...(committedCoverage.get(symbol) ?? [])].map(([exchange, coveredFrom]) => ({ exchange, coveredFrom })),
  };
};
