/**
 * What each source delivered, counted as it is recorded: observations by outcome (accepted,
 * duplicate, rejected), events appended by type, dead letters by reason class, batches; and the
 * live connectors' own counters, read from the running sources when Prometheus scrapes. Sources
 * count under their kind: `replay:file.csv` and `import:file.csv:17` under `replay` and `import`.
 */
import { Counter, type Registry } from 'prom-client';
import type { RecordResult } from '../commands/recordObservations.js';
import type { MarketSource } from '../domain/ports.js';
import { installConnectorMetrics } from './metrics/connectorMetrics.js';
import { deadLetterClass } from './metrics/deadLetterClass.js';

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

const OUTCOMES = ['accepted', 'duplicates', 'rejected'] as const;
/** The outcome label: singular, as a Prometheus label value reads. */
const OUTCOME_LABEL = { accepted: 'accepted', duplicates: 'duplicate', rejected: 'rejected' } as const;

export const sourceKind = (source: string): string => source.split(':')[0] ?? source;

export const createIngestMetrics = (registry: Registry): IngestMetrics => {
  const bySource = new Map<string, SourceCounters>();
  const watched: MarketSource[] = [];
  const observations = new Counter({ name: 'tickvault_ingest_observations_total', help: 'Observations sources delivered, by source kind and outcome (accepted, duplicate, rejected).', labelNames: ['source', 'outcome'], registers: [registry] });
  const events = new Counter({ name: 'tickvault_ingest_events_total', help: 'Events ingestion appended to the ledger, by source kind and event type (InputRejected included).', labelNames: ['source', 'type'], registers: [registry] });
  const deadLetters = new Counter({ name: 'tickvault_dead_letters_total', help: 'Inputs rejected and kept as InputRejected events, by source kind and reason class.', labelNames: ['source', 'reason'], registers: [registry] });
  const batches = new Counter({ name: 'tickvault_ingest_batches_total', help: 'Batches sources delivered (one RecordObservations command each).', labelNames: ['source'], registers: [registry] });
  const connectors = (): Record<string, Readonly<Record<string, number>>> =>
    Object.assign({}, ...watched.map((s) => s.connectorStats?.() ?? {})) as Record<string, Readonly<Record<string, number>>>;
  installConnectorMetrics(registry, connectors);
  return {
    recorded(source, r) {
      const key = sourceKind(source);
      let c = bySource.get(key);
      if (c === undefined) bySource.set(key, (c = { accepted: 0, duplicates: 0, rejected: 0, batches: 0 }));
      for (const outcome of OUTCOMES) {
        c[outcome] += r[outcome];
        observations.inc({ source: key, outcome: OUTCOME_LABEL[outcome] }, r[outcome]);
      }
      c.batches++;
      batches.inc({ source: key });
      for (const [type, n] of Object.entries(r.appendedByType)) events.inc({ source: key, type }, n);
      for (const reason of r.rejectionReasons) deadLetters.inc({ source: key, reason: deadLetterClass(reason) });
    },
    snapshot: () => Object.fromEntries([...bySource].map(([k, v]) => [k, { ...v }])),
    watch: (source) => void (source.connectorStats !== undefined && watched.push(source)),
    connectors,
  };
};
