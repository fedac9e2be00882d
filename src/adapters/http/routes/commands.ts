/** The command side over HTTP: corrections and recompute requests. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../../app/platform.js';
import type { CommandOrigin } from '../../../commands/commandContext.js';
import { RECOMPUTE_QUEUE } from '../../../app/platform.js';

const originOf = (req: FastifyRequest, platform: Platform): CommandOrigin => {
  const actor = req.headers['x-actor'];
  const correlation = req.headers['x-correlation-id'];
  return {
    actor: typeof actor === 'string' && actor !== '' ? actor : 'anonymous',
    correlationId: typeof correlation === 'string' && correlation !== '' ? correlation : platform.ids.next(),
    source: 'api',
  };
};

export default async function commandRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
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
