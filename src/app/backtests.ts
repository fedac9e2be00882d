/**
 * Backtests through the job queue: a request is recorded (BacktestRequested) and enqueued; a job
 * reads it back from the ledger, reads the bars, runs the engine step by step (handing the thread
 * back between steps, so the process keeps answering and progress can be read) and records the
 * result (BacktestCompleted) with the ledger checkpoint and the code version it ran on.
 *
 * Status comes from the ledger first (requested, completed), then from this process's record of
 * the jobs it runs (progress), then from the queue's failed jobs. On the cluster profile a job may
 * run in another process: this one then says `pending`, without a progress figure.
 */
import type { CommandDeps, CommandOrigin } from '../commands/commandContext.js';
import { recordBacktestResult } from '../commands/recordBacktestResult.js';
import { requestBacktest } from '../commands/requestBacktest.js';
import { backtestSteps, type BacktestResult } from '../domain/backtest/backtest.js';
import { alignPredictions, readBacktestRequest } from '../domain/backtest/request.js';
import { predictionSeries } from '../read-models/predictionSeries.js';
import { NotFoundError } from '../domain/errors.js';
import { upcastEvent, type EventOf } from '../domain/events/catalogue.js';
import type { BacktestCompletedData } from '../domain/events/backtests.js';
import type { JobQueue } from '../domain/ports.js';
import { backtestStream } from '../domain/streams.js';
import { readBacktestBars } from '../read-models/backtestBars.js';
import type { OhlcvReader } from '../read-models/risk.js';
import { codeVersion } from './codeVersion.js';

export const BACKTEST_QUEUE = 'backtests';
/** How long a run keeps the thread before handing it back (a step is one strategy of the grid). */
const SLICE_MS = 20;

/** `pending`: waiting in the queue, or running in another process (cluster), which this one cannot tell apart. */
export type BacktestState = 'pending' | 'running' | 'completed' | 'failed';

export interface BacktestStatus {
  readonly backtestId: string;
  readonly status: BacktestState;
  /** Done / total work units (a strategy scored, a recorded run): null when the job runs in another process or has not started. */
  readonly progress: number | null;
  readonly request: Record<string, unknown>;
  readonly requestedAt: number;
  readonly actor: string;
  readonly result: BacktestCompletedData | null;
  /** Why the job failed. */
  readonly error: string | null;
  /** The ledger position of the result (or of the request while there is none). */
  readonly position: number;
}

export interface Backtests {
  submit(input: unknown, origin: CommandOrigin): Promise<{ backtestId: string; position: number }>;
  status(backtestId: string): Promise<BacktestStatus>;
}

export interface BacktestDeps extends CommandDeps {
  readonly jobs: JobQueue;
  readonly ohlcv: OhlcvReader;
}

interface LocalRun {
  state: 'running' | 'failed';
  progress: number;
  error: string | null;
}

const yieldThread = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const eventData = (backtestId: string, symbol: string, interval: BacktestCompletedData['interval'], r: BacktestResult): Omit<BacktestCompletedData, 'ledgerCheckpoint' | 'batch' | 'codeVersion'> => ({
  backtestId,
  symbol,
  interval,
  bars: r.bars,
  mode: r.mode,
  costs: r.costs,
  chosen: r.chosen === null ? null : { ...r.chosen },
  gridSize: r.gridSize,
  grid: r.grid.map((g) => ({ strategy: { ...g.strategy }, finalEquity: g.finalEquity, trades: g.trades })),
  walkForward: r.walkForward === null ? null : r.walkForward.map((s) => ({ ...s, chosen: { ...s.chosen } })),
  metrics: { ...r.metrics },
  trades: r.trades.map((t) => ({ side: t.side, entryTime: t.entryTime, entryPrice: t.entryPrice, units: t.units, exitTime: t.exitTime, exitPrice: t.exitPrice, open: t.open, fees: t.fees, pnl: t.pnl, return: t.return })),
  equity: r.equity.map((p) => ({ time: p.time, value: p.value })),
  shortfall: r.shortfall,
});

export const createBacktests = (deps: BacktestDeps): Backtests => {
  const local = new Map<string, LocalRun>();

  const run = async (backtestId: string): Promise<void> => {
    const events = (await deps.ledger.readStream(backtestStream(backtestId))).map(upcastEvent);
    if (events.some((e) => e?.type === 'BacktestCompleted')) return;
    const requested = events.find((e): e is EventOf<'BacktestRequested'> => e?.type === 'BacktestRequested');
    if (requested === undefined) throw new Error(`backtest ${backtestId}: no BacktestRequested in the ledger`);
    const request = readBacktestRequest(requested.data.request);
    const entry: LocalRun = { state: 'running', progress: 0, error: null };
    local.set(backtestId, entry);
    try {
      const checkpoint = await deps.ledger.latestCheckpoint();
      const { bars, batch } = await readBacktestBars(deps.ohlcv, request.symbol, request.interval, request.from, request.to);
      if (bars.close.length < 2) {
        throw new Error(`backtest ${backtestId}: ${request.symbol} has ${bars.close.length} ${request.interval} bars in the range; a backtest needs at least two (import or wait for data, or widen from/to)`);
      }
      const given = request.model === undefined ? request.predictions : await predictionSeries(deps.ledger, request.symbol, request.model, request.interval);
      const predictions = given === undefined ? undefined : alignPredictions(bars.time, given);
      const steps = backtestSteps(request.spec, { bars, ...(predictions === undefined ? {} : { predictions }) });
      let sliceStart = performance.now();
      let next = steps.next();
      for (; next.done !== true; next = steps.next()) {
        entry.progress = next.value.done / next.value.total;
        if (performance.now() - sliceStart > SLICE_MS) {
          await yieldThread();
          sliceStart = performance.now();
        }
      }
      await recordBacktestResult(
        deps,
        {
          ...eventData(backtestId, request.symbol, request.interval, next.value),
          ledgerCheckpoint: checkpoint === undefined ? null : { size: checkpoint.size, root: checkpoint.root },
          batch,
          codeVersion: codeVersion(),
        },
        { actor: requested.meta.actor, correlationId: requested.meta.correlationId, causationId: requested.id, source: 'backtest-job' },
      );
      local.delete(backtestId);
    } catch (e) {
      entry.state = 'failed';
      entry.error = e instanceof Error ? e.message : String(e);
      throw e;
    }
  };

  deps.jobs.process(BACKTEST_QUEUE, async (payload) => {
    const backtestId = (payload as { backtestId?: unknown } | null)?.backtestId;
    if (typeof backtestId !== 'string') throw new Error(`backtest job: payload ${JSON.stringify(payload)} has no backtestId`);
    await run(backtestId);
  });

  return {
    async submit(input, origin) {
      const accepted = await requestBacktest(deps, input, origin);
      // A failed backtest fails the same way again (same request, same bars): one try.
      await deps.jobs.enqueue(BACKTEST_QUEUE, accepted.backtestId, { backtestId: accepted.backtestId }, { attempts: 1 });
      return accepted;
    },

    async status(backtestId) {
      const recorded = await deps.ledger.readStream(backtestStream(backtestId));
      const events = recorded.map(upcastEvent);
      const requested = events.find((e): e is EventOf<'BacktestRequested'> => e?.type === 'BacktestRequested');
      if (requested === undefined) throw new NotFoundError(`no backtest ${backtestId}`);
      const completed = events.find((e): e is EventOf<'BacktestCompleted'> => e?.type === 'BacktestCompleted');
      const base = { backtestId, request: requested.data.request, requestedAt: requested.meta.recordedAt, actor: requested.meta.actor };
      if (completed !== undefined) return { ...base, status: 'completed', progress: 1, result: completed.data, error: null, position: completed.position };
      const mine = local.get(backtestId);
      if (mine !== undefined) return { ...base, status: mine.state, progress: mine.state === 'running' ? mine.progress : null, result: null, error: mine.error, position: requested.position };
      const failed = (await deps.jobs.failed(BACKTEST_QUEUE)).find((f) => f.id === backtestId);
      if (failed !== undefined) return { ...base, status: 'failed', progress: null, result: null, error: failed.error, position: requested.position };
      return { ...base, status: 'pending', progress: null, result: null, error: null, position: requested.position };
    },
  };
};
