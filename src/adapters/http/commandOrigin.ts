/**
 * Who is asking: the actor every command event records is the id of the API key the request was
 * made with (authenticate.ts), never anything the client says about itself; the correlation id
 * (X-Correlation-Id) is the client's to choose.
 */
import type { FastifyRequest } from 'fastify';
import type { HttpPlatform } from './httpPlatform.js';
import type { CommandOrigin } from '../../commands/commandContext.js';
import { principalOf } from './access/authenticate.js';

export const originOf = (req: FastifyRequest, platform: HttpPlatform): CommandOrigin => {
  const principal = principalOf(req);
  // Every write needs a key (routeRoles.ts): a command without one is a hole in that table.
  if (principal === undefined) throw new Error(`${req.method} ${req.routeOptions.url ?? req.url} records a command but was let through without a key`);
  const correlation = req.headers['x-correlation-id'];
  return {
    actor: principal.keyId,
    correlationId: typeof correlation === 'string' && correlation !== '' ? correlation : platform.ids.next(),
    source: 'api',
  };
};
