/**
 * The batch projector: keeps the batch views (candles 1m/1h/1d) of the BatchStore up with the
 * ledger; recomputes of whole symbol-days go to the configured BatchEngine (TS fold or Spark).
 *
 * One serialized pass at a time reads the ledger from its checkpoint in pages. Trades and klines
 * are merged into the stored rows; a RecomputeRequested rebuilds whole symbol-days as the ledger
 * stood at that request, corrections applied, and publishes a new view version. Because the
 * checkpoint only passes a request once its recompute is committed, a crash never loses one, and
 * the job queue is only the trigger that makes it happen promptly.
 */
import { upcastEvent } from '../../domain/events/catalogue.js';
import type { EventOf } from '../../domain/events/catalogue.js';
import type { BatchEngine, BatchStore, Clock, IdGenerator, Ledger } from '../../domain/ports.js';
import { viewStream, recomputeStream } from '../../domain/streams.js';
import { newEvent } from '../../commands/commandContext.js';
import { buildIncrementalWrite } from './flushIncremental.js';
import { MinuteAccumulator } from './minuteAccumulator.js';
import { BATCH_PROJECTOR, OHLCV_VIEW } from '../../domain/names.js';

export interface BatchProjectorStats {
  readonly checkpoint: number;
  readonly passes: number;
  readonly recomputes: number;
  readonly lastPassMs: number;
}

export interface BatchProjector {
  /** Processes everything up to the ledger head as it is now. */
  runOnce(): Promise<void>;
  /** Processes at least through `position`. */
  runThrough(position: number): Promise<void>;
  /** Runs a pass every `intervalMs` until stopped. */
  start(intervalMs: number): void;
  stop(): Promise<void>;
  stats(): BatchProjectorStats;
}

export interface BatchProjectorDeps {
  readonly ledger: Ledger;
  readonly store: BatchStore;
  /** Who rebuilds the symbol-days a RecomputeRequested names (the TS fold or Spark). */
  readonly engine: BatchEngine;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly allowedLatenessMs: number;
  readonly pageSize?: number;
  readonly onError?: (e: unknown) => void;
}

export const createBatchProjector = (deps: BatchProjectorDeps): BatchProjector => {
  const pageSize = deps.pageSize ?? 20_000;
  let tail: Promise<void> = Promise.resolve();
  let checkpoint = 0;
  let passes = 0;
  let recomputes = 0;
  let lastPassMs = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  /** Runs `f` after every earlier pass: one pass at a time. */
  const serialized = (f: () => Promise<void>): Promise<void> => {
    const run = tail.then(f, f);
    tail = run.catch(() => undefined);
    return run;
  };

  const flush = async (acc: MinuteAccumulator, through: number): Promise<void> => {
    const write = await buildIncrementalWrite(deps.store, acc, through, deps.allowedLatenessMs);
    await deps.store.commit(BATCH_PROJECTOR, write, through);
    checkpoint = through;
  };

  const recompute = async (e: EventOf<'RecomputeRequested'>): Promise<void> => {
    // Rows first, checkpoint still before the request: a crash here redoes the recompute.
    const { version } = await deps.engine.recompute({ symbol: e.data.symbol, fromDay: e.data.fromDay, toDay: e.data.toDay, throughPosition: e.position });
    const origin = { actor: 'system:batch-projector', correlationId: e.meta.correlationId, causationId: e.id, source: 'batch' };
    await deps.ledger.append([
      newEvent(deps.ids.next(), 'RecomputeCompleted', recomputeStream(e.data.symbol), {
        requestId: e.data.requestId,
        symbol: e.data.symbol,
        fromDay: e.data.fromDay,
        toDay: e.data.toDay,
        view: OHLCV_VIEW,
        version,
        engine: deps.engine.name,
      }, origin, `recompute-completed/${e.data.requestId}/${version}`),
      newEvent(deps.ids.next(), 'BatchViewPublished', viewStream(OHLCV_VIEW), {
        view: OHLCV_VIEW,
        version,
        symbols: [e.data.symbol],
        throughPosition: e.position,
        engine: deps.engine.name,
      }, origin, `view-published/${OHLCV_VIEW}/${e.data.symbol}/${version}`),
    ]);
    await deps.store.commit(BATCH_PROJECTOR, { replace: [], minutes: [], candles: [], meta: [] }, e.position);
    checkpoint = e.position;
    recomputes++;
  };

  const pass = async (target: number): Promise<void> => {
    const started = deps.clock.now();
    checkpoint = await deps.store.checkpoint(BATCH_PROJECTOR);
    while (checkpoint < target) {
      const events = await deps.ledger.read(checkpoint, pageSize);
      if (events.length === 0) break;
      let acc = new MinuteAccumulator();
      let last = checkpoint;
      for (const raw of events) {
        const e = upcastEvent(raw);
        if (e?.type === 'TradeObserved') acc.addTrade(e.data);
        else if (e?.type === 'CandleObserved') acc.addKline(e.data);
        else if (e?.type === 'RecomputeRequested') {
          if (acc.size > 0 || last > checkpoint) await flush(acc, e.position - 1);
          acc = new MinuteAccumulator();
          await recompute(e);
        }
        last = raw.position;
      }
      if (last > checkpoint) await flush(acc, last);
    }
    passes++;
    lastPassMs = deps.clock.now() - started;
  };

  const runOnce = (): Promise<void> => serialized(async () => pass((await deps.ledger.head()).position));

  return {
    runOnce,
    runThrough: (position) => serialized(async () => {
      if ((await deps.store.checkpoint(BATCH_PROJECTOR)) < position) await pass(Math.max(position, (await deps.ledger.head()).position));
    }),
    start(intervalMs) {
      stopped = false;
      const tick = (): void => {
        runOnce()
          .catch((e: unknown) => deps.onError?.(e))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, intervalMs);
          });
      };
      timer = setTimeout(tick, 0);
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await tail;
    },
    stats: () => ({ checkpoint, passes, recomputes, lastPassMs }),
  };
};
