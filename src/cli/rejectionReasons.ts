/**
 * Keeps the reasons of the items a source rejects while it runs, so a command can show them on
 * the terminal: the ledger keeps every one as `InputRejected`, but a user running an import
 * should not have to query the ledger to learn why a file gave nothing.
 */
import type { MarketSource } from '../domain/ports.js';

export interface RejectionReasons {
  /** The same source, noting every rejected item's reason as it passes. */
  readonly source: MarketSource;
  /** How many items were rejected in all. */
  count(): number;
  /** The first `shown` reasons, in order. */
  first(): readonly string[];
}

export const collectRejectionReasons = (source: MarketSource, shown: number): RejectionReasons => {
  const kept: string[] = [];
  let count = 0;
  const run: MarketSource['run'] = (emit, signal) =>
    source.run(async (batch) => {
      for (const item of batch.items) {
        if (item.kind !== 'rejected') continue;
        count++;
        if (kept.length < shown) kept.push(item.reason);
      }
      await emit(batch);
    }, signal);
  return { source: { ...source, run }, count: () => count, first: () => kept };
};

/** `rejected: <reason>` lines, then how many more there were. */
export const formatRejectionReasons = (r: RejectionReasons): string => {
  const lines = r.first().map((reason) => `rejected: ${reason}\n`);
  const more = r.count() - r.first().length;
  if (more > 0) lines.push(`... and ${more} more rejected (every one is kept in the ledger as InputRejected, with its reason)\n`);
  return lines.join('');
};
