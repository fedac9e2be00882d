/**
 * The pipeline as Prometheus sees it, read when it scrapes: the ledger's head and the age of its
 * last signed checkpoint, the live projection's late events, the batch layer's passes and
 * recomputes, and the batch view's age (now minus the newest event time the OHLCV view is
 * complete through: the part of the recent past only the speed layer covers).
 */
import type { Registry } from 'prom-client';
import { OHLCV_VIEW } from '../../domain/names.js';
import type { BatchStore, Clock, Ledger } from '../../domain/ports.js';
import type { BatchProjectorStats } from '../../projections/batch/batchProjector.js';
import type { LiveProjectionStats } from '../../projections/live/liveProjection.js';
import { pulledCounter, pulledGauge } from './registry.js';

export interface PipelineMetricsDeps {
  readonly ledger: Pick<Ledger, 'head' | 'latestCheckpoint'>;
  readonly batch: Pick<BatchStore, 'allMeta'>;
  readonly clock: Clock;
  readonly liveProjection: { stats(): LiveProjectionStats };
  readonly batchProjector: { stats(): BatchProjectorStats };
}

const seconds = (ms: number): number => ms / 1000;
/** A gauge without labels is always exported: NaN says "nothing to measure yet", where 0 would read as fresh. */
const NONE = NaN;

export const installPipelineMetrics = (registry: Registry, d: PipelineMetricsDeps): void => {
  pulledGauge(registry, {
    name: 'tickvault_ledger_head_position',
    help: 'Position of the newest ledger event.',
    read: async () => [[{}, (await d.ledger.head()).position]],
  });
  pulledGauge(registry, {
    name: 'tickvault_ledger_checkpoint_age_seconds',
    help: 'Seconds since the ledger signed its newest checkpoint (NaN until it has signed one).',
    read: async () => {
      const c = await d.ledger.latestCheckpoint();
      return [[{}, c === undefined ? NONE : seconds(d.clock.now() - c.time)]];
    },
  });
  pulledGauge(registry, {
    name: 'tickvault_ledger_checkpoint_size_events',
    help: 'Events covered by the newest signed checkpoint (its tree size).',
    read: async () => {
      const c = await d.ledger.latestCheckpoint();
      return [[{}, c === undefined ? NONE : c.size]];
    },
  });
  pulledCounter(registry, {
    name: 'tickvault_late_events_total',
    help: 'Events that arrived after their live window closed (left to the batch layer).',
    read: () => [[{}, d.liveProjection.stats().late]],
  });
  pulledGauge(registry, {
    name: 'tickvault_batch_pass_duration_seconds',
    help: 'Duration of the last batch pass.',
    read: () => [[{}, seconds(d.batchProjector.stats().lastPassMs)]],
  });
  pulledCounter(registry, {
    name: 'tickvault_batch_passes_total',
    help: 'Batch passes run.',
    read: () => [[{}, d.batchProjector.stats().passes]],
  });
  pulledCounter(registry, {
    name: 'tickvault_batch_recomputes_total',
    help: 'Recomputes the batch projector ran (corrections and recompute requests).',
    read: () => [[{}, d.batchProjector.stats().recomputes]],
  });
  pulledGauge(registry, {
    name: 'tickvault_batch_view_age_seconds',
    help: 'Now minus the newest event time the OHLCV batch view is complete through (NaN before the first view).',
    read: async () => {
      const metas = await d.batch.allMeta(OHLCV_VIEW);
      if (metas.length === 0) return [[{}, NONE]];
      const newest = metas.reduce((n, m) => Math.max(n, m.computedThrough), 0);
      return [[{}, seconds(Math.max(0, d.clock.now() - newest))]];
    },
  });
};
