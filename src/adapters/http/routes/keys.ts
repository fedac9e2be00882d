/** API keys over HTTP (admin only, routeRoles.ts): issue one (its key shown in this answer only), list them, revoke one. */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { ROLES } from '../../../domain/access/roles.js';
import { originOf } from '../commandOrigin.js';
import { idParams, responses, text } from '../schemas/common.js';
import { keyIssued, keyRevoked, keysAnswer } from '../schemas/compliance.js';

export default async function keyRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;

  app.post('/api/v1/keys', {
    schema: { body: { type: 'object', required: ['name', 'role'], properties: { name: text(64), role: { type: 'string', enum: [...ROLES] } } }, response: responses({ 201: keyIssued }, ['conflict'], { body: true }) },
  }, async (req, reply) => {
    const issued = await platform.keys.issue(req.body, originOf(req, platform));
    return reply.code(201).send({ ...issued, note: 'the key is shown in this answer only: store it now (only its hash is kept)' });
  });

  app.get('/api/v1/keys', { schema: { response: responses({ 200: keysAnswer }) } }, async () => ({ keys: platform.keys.list() }));

  app.delete<{ Params: { id: string }; Querystring: { reason?: string } }>('/api/v1/keys/:id', {
    schema: { params: idParams(), querystring: { type: 'object', properties: { reason: text(256) } }, response: responses({ 200: keyRevoked }, ['not_found', 'conflict']) },
  }, async (req) => platform.keys.revoke(req.params.id, req.query.reason === undefined || req.query.reason === '' ? 'revoked over the API' : req.query.reason, originOf(req, platform)));
}
