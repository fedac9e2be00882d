/**
 * The simulator tape the order-book crash test feeds its child: one per run, each an hour of event
 * time after the last, so no run's book items repeat another's. Deterministic (seeded, not paced to
 * the wall clock): the parent rebuilds a run's tape to know which items its child acknowledged.
 */
import { createSimulatorSource, type SimulatorSource } from '../../src/adapters/sources/simulator/simulatorSource.js';
import type { BookItem } from '../../src/domain/ports.js';

const HOUR = 3_600_000;

export const bookTape = (run: number): SimulatorSource =>
  createSimulatorSource({ seed: 7_000 + run, symbols: 4, tradesPerSecond: 40, startTime: Date.UTC(2024, 0, 1) + run * HOUR, realtime: false, books: true, maxTrades: 1_000_000, batchSize: 100 });

/** The first `count` book items of run `run`'s tape, in order. */
export const bookItemsOf = async (run: number, count: number): Promise<BookItem[]> => {
  const out: BookItem[] = [];
  const stop = new AbortController();
  await bookTape(run).run(async (b) => {
    for (const i of b.items) if ((i.kind === 'bookSnapshot' || i.kind === 'bookUpdate') && out.length < count) out.push(i as BookItem);
    if (out.length >= count) stop.abort();
  }, stop.signal);
  return out;
};
