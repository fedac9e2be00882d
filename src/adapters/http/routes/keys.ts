/** API keys over HTTP (admin only, routeRoles.ts): issue one (its key shown in this answer only), list them, revoke one. */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { ROLES } from '../../../domain/access/roles.js';
import { originOf } from '../commandOrigin.js';
import { text } from '../params.js';

export default async function keyRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;

  app.post('/api/v1/keys', {
    schema: { body: { type: 'object', required: ['name', 'role'], properties: { name: text(64), role: { type: 'string', enum: [...ROLES] } } } },
  }, async (req, reply) => {
    const issued = await platform.keys.issue(req.body, originOf(req, platform));
    return reply.code(201).send({ ...issued, note: 'the key is shown in this answer only: store it now (only its hash is kept)' });
  });

  app.get('/api/v1/keys', async () => ({ keys: platform.keys.list() }));

  app.delete<{ Params: { id: string }; Querystring: { reason?: string } }>('/api/v1/keys/:id', {
    schema: { params: { type: 'object', properties: { id: text(64) } }, querystring: { type: 'object', properties: { reason: text(256) } } },
  }, async (req) => platform.keys.revoke(req.params.id, req.query.reason === undefined || req.query.reason === '' ? 'revoked over the API' : req.query.reason, originOf(req, platform)));
}
