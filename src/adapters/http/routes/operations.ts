/** Health and Prometheus metrics. */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import type { RequestMetrics } from '../requestMetrics.js';
import { RECOMPUTE_QUEUE } from '../../../domain/names.js';

/** A projection further behind than this is reported as degraded. */
const LAG_DEGRADED = 100_000;

export default async function operationsRoutes(app: FastifyInstance, opts: { platform: HttpPlatform; requests: RequestMetrics }): Promise<void> {
  const { platform, requests } = opts;
  const started = Date.now();

  app.get('/health', async (_req, reply) => {
    let head;
    try {
      head = await platform.ledger.head();
    } catch (e) {
      return reply.code(503).send({ status: 'down', reason: `ledger unreadable: ${e instanceof Error ? e.message : String(e)}` });
    }
    const live = platform.liveProjection.stats();
    const batch = platform.batchProjector.stats();
    const liveLag = head.position - live.checkpoint;
    const batchLag = head.position - batch.checkpoint;
    return {
      status: liveLag > LAG_DEGRADED ? 'degraded' : 'ok',
      ledger: { head: head.position },
      projections: {
        live: { checkpoint: live.checkpoint, lag: liveLag, lateEvents: live.late },
        batch: { checkpoint: batch.checkpoint, lag: batchLag, recomputes: batch.recomputes, lastPassMs: batch.lastPassMs },
      },
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
    };
  });

  app.get('/metrics', async (_req, reply) => {
    const head = await platform.ledger.head();
    const live = platform.liveProjection.stats();
    const batch = platform.batchProjector.stats();
    const jobs = await platform.jobs.counts(RECOMPUTE_QUEUE);
    const lines: string[] = [
      '# HELP tickvault_ledger_head_position Position of the newest ledger event.',
      '# TYPE tickvault_ledger_head_position gauge',
      `tickvault_ledger_head_position ${head.position}`,
      '# HELP tickvault_projection_lag_events Events a projection is behind the ledger head.',
      '# TYPE tickvault_projection_lag_events gauge',
      `tickvault_projection_lag_events{projection="live"} ${head.position - live.checkpoint}`,
      `tickvault_projection_lag_events{projection="batch"} ${head.position - batch.checkpoint}`,
      '# HELP tickvault_late_events_total Events that arrived after their live window closed (left to the batch layer).',
      '# TYPE tickvault_late_events_total counter',
      `tickvault_late_events_total ${live.late}`,
      '# HELP tickvault_batch_pass_duration_ms Duration of the last batch pass.',
      '# TYPE tickvault_batch_pass_duration_ms gauge',
      `tickvault_batch_pass_duration_ms ${batch.lastPassMs}`,
      '# HELP tickvault_ingest_total Observations recorded per source and outcome.',
      '# TYPE tickvault_ingest_total counter',
    ];
    for (const [source, c] of Object.entries(platform.metrics.snapshot())) {
      for (const outcome of ['accepted', 'duplicates', 'rejected'] as const) {
        lines.push(`tickvault_ingest_total{source="${source}",outcome="${outcome}"} ${c[outcome]}`);
      }
    }
    const connectors = Object.entries(platform.metrics.connectors());
    if (connectors.length > 0) {
      lines.push('# HELP tickvault_connector Live connector counters (messages, skipped, rejected, reconnects, gaps, missingTrades, recoveredTrades) and lagMs (receive minus event time of the newest trade).', '# TYPE tickvault_connector gauge');
      for (const [connector, stats] of connectors) {
        for (const [stat, n] of Object.entries(stats)) lines.push(`tickvault_connector{connector="${connector}",stat="${stat}"} ${n}`);
      }
    }
    lines.push('# HELP tickvault_recompute_jobs Recompute jobs by state.', '# TYPE tickvault_recompute_jobs gauge');
    for (const [state, n] of Object.entries(jobs)) lines.push(`tickvault_recompute_jobs{state="${state}"} ${n}`);
    lines.push(...requests.exposition());
    return reply.type('text/plain; version=0.0.4').send(lines.join('\n') + '\n');
  });
}
