/**
 * Health and Prometheus metrics. Three health answers for three askers: `/health/live` for a
 * liveness probe (the process is up and its event loop answers: nothing else, so a slow server
 * never gets the process restarted), `/health/ready` for a readiness probe (503 until the ledger,
 * the projections within their lag budget and the servers behind the adapters are fine), and
 * `/health`, the summary a person reads: the roles the process runs, and only their projections. `/metrics` is the platform's Prometheus registry.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { responses } from '../schemas/common.js';
import { healthAnswer, healthDown, liveAnswer, metricsAnswer, notReadyAnswer, readyAnswer } from '../schemas/operations.js';

export default async function operationsRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;
  const started = Date.now();
  const uptimeSeconds = (): number => Math.round((Date.now() - started) / 1000);

  app.get('/health', { schema: { response: responses({ 200: healthAnswer, 503: healthDown }) } }, async (_req, reply) => {
    let head;
    try {
      head = await platform.ledger.head();
    } catch (e) {
      return reply.code(503).send({ status: 'down', reason: `ledger unreadable: ${e instanceof Error ? e.message : String(e)}` });
    }
    // Only what this process runs is judged: an api-only process has no projection of its own to be behind.
    const { roles, standby, running } = platform.processRoles();
    const live = running.includes('live') ? platform.liveProjection.stats() : undefined;
    const batch = running.includes('batch') ? platform.batchProjector.stats() : undefined;
    const liveLag = live === undefined ? 0 : head.position - live.checkpoint;
    return {
      status: liveLag > platform.config.readyMaxLag ? 'degraded' : 'ok',
      roles,
      standby,
      ledger: { head: head.position },
      projections: {
        ...(live === undefined ? {} : { live: { checkpoint: live.checkpoint, lag: liveLag, lateEvents: live.late } }),
        ...(batch === undefined ? {} : { batch: { checkpoint: batch.checkpoint, lag: head.position - batch.checkpoint, recomputes: batch.recomputes, lastPassMs: batch.lastPassMs } }),
      },
      uptimeSeconds: uptimeSeconds(),
    };
  });

  // Answering at all is the proof: a blocked event loop answers nothing and the probe times out.
  app.get('/health/live', { schema: { response: responses({ 200: liveAnswer }) } }, async () => ({ status: 'ok', uptimeSeconds: uptimeSeconds() }));

  app.get('/health/ready', { schema: { response: responses({ 200: readyAnswer, 503: notReadyAnswer }) } }, async (_req, reply) => {
    const readiness = await platform.readiness();
    return reply.code(readiness.ready ? 200 : 503).send({ status: readiness.ready ? 'ready' : 'not_ready', checks: readiness.checks });
  });

  app.get('/metrics', { schema: { response: responses({ 200: metricsAnswer }) } }, async (_req, reply) => {
    const { registry } = platform.telemetry;
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
