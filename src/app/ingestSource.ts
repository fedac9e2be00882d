/**
 * Runs a market source into the ledger: each batch it emits becomes one RecordObservations
 * command, on behalf of the source, until the source ends or `signal` aborts. Awaiting the
 * command is the source's backpressure.
 */
import type { MarketSource } from '../domain/ports.js';
import type { IngestMetrics } from './ingestMetrics.js';
import type { PlatformCommands } from './platformCommands.js';

export const ingestSource = async (
  source: MarketSource,
  signal: AbortSignal,
  deps: { readonly commands: Pick<PlatformCommands, 'recordObservations'>; readonly metrics: IngestMetrics },
): Promise<void> => {
  const actor = `source:${source.name}`;
  let batchNo = 0;
  deps.metrics.watch(source);
  await source.run(async (b) => {
    await deps.commands.recordObservations({
      origin: { actor, correlationId: `${source.name}-${batchNo++}`, source: b.source },
      items: b.items,
    });
  }, signal);
};
