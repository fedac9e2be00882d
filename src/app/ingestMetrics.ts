/** Counters of what each source delivered: accepted, duplicates, rejected (dead letters). */
import type { RecordResult } from '../commands/recordObservations.js';
import type { MarketSource } from '../domain/ports.js';

export interface SourceCounters {
  accepted: number;
  duplicates: number;
  rejected: number;
  batches: number;
}

export interface IngestMetrics {
  recorded(source: string, result: RecordResult): void;
  snapshot(): Record<string, SourceCounters>;
  /** Follows a running source's connector counters (for /metrics). */
  watch(source: MarketSource): void;
  connectors(): Record<string, Readonly<Record<string, number>>>;
}

export const createIngestMetrics = (): IngestMetrics => {
  const bySource = new Map<string, SourceCounters>();
  const watched: MarketSource[] = [];
  return {
    recorded(source, r) {
      // import:file.csv:17 and replay:file.csv count under their source kind.
      const key = source.split(':')[0] ?? source;
      let c = bySource.get(key);
      if (c === undefined) bySource.set(key, (c = { accepted: 0, duplicates: 0, rejected: 0, batches: 0 }));
      c.accepted += r.accepted;
      c.duplicates += r.duplicates;
      c.rejected += r.rejected;
      c.batches++;
    },
    snapshot: () => Object.fromEntries([...bySource].map(([k, v]) => [k, { ...v }])),
    watch: (source) => void (source.connectorStats !== undefined && watched.push(source)),
    connectors: () => Object.assign({}, ...watched.map((s) => s.connectorStats?.() ?? {})) as Record<string, Readonly<Record<string, number>>>,
  };
};
