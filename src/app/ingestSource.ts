/**
 * Runs a market source into the ledger: each batch it emits becomes one RecordObservations
 * command, on behalf of the source, until the source ends or `signal` aborts. Awaiting the
 * command is the source's backpressure.
 *
 * Order-book snapshots and updates are split off first and handed to `books` (the book consumer:
 * lake, live views), awaited as well; they are not ledger facts one by one. With no book consumer
 * wired they go nowhere, which is not an error: a source only sends them when books were asked for.
 */
import type { BookItem, MarketSource, SourceItem } from '../domain/ports.js';
import type { IngestMetrics } from './ingestMetrics.js';
import type { PlatformCommands } from './platformCommands.js';

export type BookConsumer = (source: string, items: readonly BookItem[]) => Promise<void>;

const isBookItem = (item: SourceItem): item is BookItem => item.kind === 'bookSnapshot' || item.kind === 'bookUpdate';

export const ingestSource = async (
  source: MarketSource,
  signal: AbortSignal,
  deps: { readonly commands: Pick<PlatformCommands, 'recordObservations'>; readonly metrics: IngestMetrics; readonly books?: BookConsumer },
): Promise<void> => {
  const actor = `source:${source.name}`;
  let batchNo = 0;
  deps.metrics.watch(source);
  await source.run(async (b) => {
    let items = b.items;
    if (items.some(isBookItem)) {
      const books = items.filter(isBookItem);
      items = items.filter((i) => !isBookItem(i));
      if (deps.books !== undefined) await deps.books(b.source, books);
      if (items.length === 0) return;
    }
    await deps.commands.recordObservations({
      origin: { actor, correlationId: `${source.name}-${batchNo++}`, source: b.source },
      items,
    });
  }, signal);
};
