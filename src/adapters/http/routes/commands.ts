/** The command side over HTTP: corrections and recompute requests. */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { originOf } from '../commandOrigin.js';
import { RECOMPUTE_QUEUE } from '../../../domain/names.js';

export default async function commandRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;

  app.post('/api/v1/corrections', { schema: { body: { type: 'object' } } }, async (req, reply) => {
    const result = await platform.commands.issueCorrection(req.body, originOf(req, platform));
    return reply.code(result.created ? 201 : 200).send(result);
  });

  app.post('/api/v1/recompute', { schema: { body: { type: 'object' } } }, async (req, reply) => {
    const result = await platform.commands.requestRecompute(req.body, originOf(req, platform));
    return reply.code(202).send(result);
  });

  app.get('/api/v1/jobs/recompute', async () => ({
    counts: await platform.jobs.counts(RECOMPUTE_QUEUE),
    failed: await platform.jobs.failed(RECOMPUTE_QUEUE),
  }));
}
