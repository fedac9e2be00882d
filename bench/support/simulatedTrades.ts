/** Shared by the benchmarks: simulator batches generated before the clock starts, and percentiles. */
import { createSimulatorSource } from '../../src/adapters/sources/simulator/simulatorSource.js';
import type { SourceItem } from '../../src/domain/ports.js';

/** `trades` simulator trades over `symbols` symbols in batches of `batchSize`, event times in the last hour. */
export const simulatedBatches = async (o: { seed: number; symbols: number; trades: number; batchSize: number }): Promise<SourceItem[][]> => {
  const batches: SourceItem[][] = [];
  const source = createSimulatorSource({ seed: o.seed, symbols: o.symbols, tradesPerSecond: 5_000, startTime: Date.now() - 3_600_000, realtime: false, maxTrades: o.trades, batchSize: o.batchSize });
  await source.run(async (b) => void batches.push([...b.items]), new AbortController().signal);
  return batches;
};

export const percentile = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
