/**
 * The simulator as a MarketSource: a deterministic multi-asset, multi-exchange trade tape.
 *
 * The tape depends only on the options that shape it (seed, symbols, exchanges, tradesPerSecond,
 * startTime, event rates, planned events), never on pacing or batching: same options, same bytes.
 * `tradesPerSecond` is the density of the tape in event time; `realtime` only decides whether
 * trades are handed out as the wall clock reaches their event time or as fast as possible.
 * With `books`, the tape also carries every exchange's order book of every symbol (a snapshot,
 * then numbered updates) with spoofing episodes injected; `maxTrades` and progress still count
 * trades.
 */
import { InvalidInputError } from '../../../domain/errors.js';
import type { MarketSource, SourceItem, SourceProgress } from '../../../domain/ports.js';
import { isExchangeId } from '../../../domain/symbol.js';
import { MAX_EVENT_TIME, MIN_EVENT_TIME } from '../../../domain/time.js';
import type { InjectedEvent, PlannedEvent } from './marketEvents.js';
import { createYielder, sleep } from '../pacing.js';
import { createTradeGenerator } from './tradeGenerator.js';

export interface SimulatorOptions {
  readonly seed?: number;
  /** How many symbols (default 24): real names first, then SIM0001-USDT... */
  readonly symbols?: number;
  readonly exchanges?: readonly string[];
  /** Trades per second of event time (default 200). */
  readonly tradesPerSecond?: number;
  /** Event time of the first trade (default 2024-01-01T00:00:00Z, fixed for determinism). */
  readonly startTime?: number;
  /** Pace trades to the wall clock instead of generating as fast as possible. */
  readonly realtime?: boolean;
  /** Stop after this many trades (default: never). */
  readonly maxTrades?: number;
  readonly batchSize?: number;
  /** Expected flash crashes per hour of event time over the whole universe (default 1). */
  readonly flashCrashesPerHour?: number;
  /** Expected volume bursts per hour of event time over the whole universe (default 4). */
  readonly volumeBurstsPerHour?: number;
  /** Order books beside the trades (snapshots and numbered updates; trades at the touch). */
  readonly books?: boolean;
  /** Expected spoofing episodes per hour of event time over every book (default 6; with books only). */
  readonly spoofingPerHour?: number;
  /** Events to inject at given times, besides the random ones. */
  readonly events?: readonly PlannedEvent[];
}

export interface SimulatorSource extends MarketSource {
  /** The symbols traded, in universe order. */
  readonly symbols: readonly string[];
  /** Ground truth: every flash crash, volume burst and spoofing episode injected so far, in start order. */
  injectedEvents(): readonly InjectedEvent[];
}

export const DEFAULT_SIMULATOR_START = Date.UTC(2024, 0, 1);
const DEFAULT_BATCH = 1_000;
/** In real time, trades that came due are handed out every 100 ms. */
const REALTIME_TICK_MS = 100;
const SOURCE = 'simulator';

const check = (ok: boolean, message: string): void => {
  if (!ok) throw new InvalidInputError(`simulator: ${message}`);
};

export const createSimulatorSource = (options: SimulatorOptions = {}): SimulatorSource => {
  const seed = options.seed ?? 42;
  const symbolCount = options.symbols ?? 24;
  const exchanges = options.exchanges ?? ['binance', 'coinbase'];
  const tradesPerSecond = options.tradesPerSecond ?? 200;
  const startTime = options.startTime ?? DEFAULT_SIMULATOR_START;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const maxTrades = options.maxTrades;
  const crashesPerHour = options.flashCrashesPerHour ?? 1;
  const burstsPerHour = options.volumeBurstsPerHour ?? 4;
  const spoofingPerHour = options.spoofingPerHour ?? 6;

  check(Number.isFinite(seed), `seed must be a finite number, got ${seed}`);
  check(Number.isInteger(symbolCount) && symbolCount >= 1, `symbols must be a positive integer, got ${symbolCount}`);
  check(exchanges.length >= 1 && exchanges.every(isExchangeId), `exchanges must be lower-case exchange ids, got ${JSON.stringify(exchanges)}`);
  check(new Set(exchanges).size === exchanges.length, `exchanges must not repeat, got ${JSON.stringify(exchanges)}`);
  check(Number.isFinite(tradesPerSecond) && tradesPerSecond > 0, `tradesPerSecond must be > 0, got ${tradesPerSecond}`);
  check(Number.isInteger(startTime) && startTime >= MIN_EVENT_TIME && startTime < MAX_EVENT_TIME, `startTime must be epoch ms between 2009 and 2100, got ${startTime}`);
  check(Number.isInteger(batchSize) && batchSize >= 1, `batchSize must be a positive integer, got ${batchSize}`);
  check(maxTrades === undefined || (Number.isInteger(maxTrades) && maxTrades >= 0), `maxTrades must be a non-negative integer, got ${maxTrades}`);
  check(crashesPerHour >= 0 && burstsPerHour >= 0 && spoofingPerHour >= 0, 'event rates must be ≥ 0');

  const generator = createTradeGenerator({
    seed,
    symbols: symbolCount,
    exchanges,
    tradesPerSecond,
    startTime,
    flashCrashesPerHour: crashesPerHour,
    volumeBurstsPerHour: burstsPerHour,
    planned: options.events ?? [],
    ...(options.books === true ? { books: { spoofingPerHour } } : {}),
  });

  let done = 0;
  const remaining = (): number => (maxTrades === undefined ? Infinity : maxTrades - done);

  const runFast = async (emit: (b: { source: string; items: SourceItem[] }) => Promise<void>, signal: AbortSignal): Promise<void> => {
    const yieldNow = createYielder();
    while (!signal.aborted && remaining() > 0) {
      const items: SourceItem[] = [];
      const trades = generator.fill(items, Math.min(batchSize, remaining()), Infinity);
      await emit({ source: SOURCE, items });
      done += trades;
      await yieldNow();
    }
  };

  const runRealtime = async (emit: (b: { source: string; items: SourceItem[] }) => Promise<void>, signal: AbortSignal): Promise<void> => {
    // Event time keeps its own origin: the tape is the same whatever the wall clock says.
    const wallStart = Date.now();
    const eventStart = generator.nextEventTime();
    while (!signal.aborted && remaining() > 0) {
      const due = eventStart + (Date.now() - wallStart) + 1;
      const items: SourceItem[] = [];
      const trades = generator.fill(items, Math.min(batchSize, remaining()), due);
      if (items.length > 0) {
        await emit({ source: SOURCE, items });
        done += trades;
      }
      // A full batch means we are behind (slow consumer): catch up without sleeping.
      if (trades < batchSize) await sleep(REALTIME_TICK_MS, signal);
    }
  };

  return {
    name: SOURCE,
    symbols: generator.symbols,
    run: (emit, signal) => (options.realtime === true ? runRealtime(emit, signal) : runFast(emit, signal)),
    progress: (): SourceProgress => ({ done, total: maxTrades }),
    injectedEvents: () => generator.injected(),
  };
};
