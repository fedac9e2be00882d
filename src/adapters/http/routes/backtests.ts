/**
 * Backtests: POST runs one through the job queue (202 with its id at once; 400 names what is
 * wrong with the request), GET answers its status, progress and, once done, the result recorded
 * as a BacktestCompleted event.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { originOf } from '../commandOrigin.js';
import { idParams, responses } from '../schemas/common.js';
import { backtestAccepted, backtestStatus } from '../schemas/backtests.js';


export default async function backtestRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;

  app.post<{ Body: unknown }>('/api/v1/backtests', {
    schema: {
      body: {
        type: 'object',
        properties: {
          symbol: { type: 'string' },
          interval: { type: 'string' },
          from: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
          to: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
          strategy: { type: 'object' },
          mode: { type: 'string' },
          fee: { type: 'number' },
          slippage: { type: 'number' },
          initialCash: { type: 'number' },
          walkForward: { type: 'object' },
          predictions: { type: 'array' },
          model: { type: 'string', maxLength: 100 },
        },
        required: ['symbol', 'interval', 'from', 'to', 'strategy'],
        additionalProperties: false,
      },
      response: responses({ 202: backtestAccepted }, ['not_found', 'conflict'], { body: true }),
    },
  }, async (req, reply) => {
    const accepted = await platform.backtests.submit(req.body, originOf(req, platform));
    return reply.code(202).header('location', `/api/v1/backtests/${accepted.backtestId}`).send({ ...accepted, status: 'pending' });
  });

  app.get<{ Params: { id: string } }>('/api/v1/backtests/:id', { schema: { params: idParams(), response: responses({ 200: backtestStatus }, ['not_found']) } }, async (req) => platform.backtests.status(req.params.id));
}
