/**
 * Several sources run as one (`--source binance,coinbase`): all run at once, their batches go to
 * the ledger one at a time (the backpressure contract holds for the whole), and the first failure
 * stops the others.
 */
import type { MarketSource, SourceBatch } from '../../domain/ports.js';

export const mergeSources = (sources: readonly MarketSource[]): MarketSource => {
  if (sources.length === 1) return sources[0]!;
  return {
    name: sources.map((s) => s.name).join('+'),
    progress: () => {
      const all = sources.map((s) => s.progress());
      const total = all.every((p) => p.total !== undefined) ? all.reduce((n, p) => n + (p.total ?? 0), 0) : undefined;
      return { done: all.reduce((n, p) => n + p.done, 0), total };
    },
    connectorStats: () => Object.assign({}, ...sources.map((s) => s.connectorStats?.() ?? {})) as Record<string, Record<string, number>>,
    async run(emit, signal) {
      const inner = new AbortController();
      const onAbort = (): void => inner.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      let tail: Promise<void> = Promise.resolve();
      const emitInOrder = (b: SourceBatch): Promise<void> => (tail = tail.then(() => emit(b)));
      try {
        await Promise.all(sources.map((s) => s.run(emitInOrder, inner.signal).catch((e: unknown) => {
          inner.abort();
          throw e;
        })));
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },
  };
};
