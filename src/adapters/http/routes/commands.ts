/** The command side over HTTP: corrections and recompute requests. */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { originOf } from '../commandOrigin.js';
import { RECOMPUTE_QUEUE } from '../../../domain/names.js';
import { requireKnownSymbols, wellFormedSymbols } from '../params.js';
import { responses, text } from '../schemas/common.js';
import { correctionIssued, recomputeJobs, recomputeRequested } from '../schemas/compliance.js';

/** The fields each command takes, bounded in size; their meaning is checked by the command. */
const correctionBody = {
  type: 'object',
  properties: { correctionId: text(256), target: { type: 'object' }, action: text(16), reason: text(256), replacement: { type: 'object' } },
};
const recomputeBody = {
  type: 'object',
  properties: { symbol: text(41), fromDay: text(10), toDay: text(10), reason: text(256) },
};

export default async function commandRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;

  app.post('/api/v1/corrections', { schema: { body: correctionBody, response: responses({ 200: correctionIssued, 201: correctionIssued }, ['not_found', 'conflict'], { body: true }) } }, async (req, reply) => {
    const result = await platform.commands.issueCorrection(req.body, originOf(req, platform));
    return reply.code(result.created ? 201 : 200).send(result);
  });

  app.post('/api/v1/recompute', { schema: { body: recomputeBody, response: responses({ 202: recomputeRequested }, ['not_found', 'conflict'], { body: true }) } }, async (req, reply) => {
    await requireKnownSymbols(wellFormedSymbols((req.body as { symbol?: unknown }).symbol), () => platform.queries.symbols());
    const result = await platform.commands.requestRecompute(req.body, originOf(req, platform));
    return reply.code(202).send(result);
  });

  app.get('/api/v1/jobs/recompute', { schema: { response: responses({ 200: recomputeJobs }) } }, async () => ({
    counts: await platform.jobs.counts(RECOMPUTE_QUEUE),
    failed: await platform.jobs.failed(RECOMPUTE_QUEUE),
  }));
}
