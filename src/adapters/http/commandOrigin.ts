/** Who is asking: the actor (X-Actor) and correlation id (X-Correlation-Id) every command event records. */
import type { FastifyRequest } from 'fastify';
import type { HttpPlatform } from './httpPlatform.js';
import type { CommandOrigin } from '../../commands/commandContext.js';

export const originOf = (req: FastifyRequest, platform: HttpPlatform): CommandOrigin => {
  const actor = req.headers['x-actor'];
  const correlation = req.headers['x-correlation-id'];
  return {
    actor: typeof actor === 'string' && actor !== '' ? actor : 'anonymous',
    correlationId: typeof correlation === 'string' && correlation !== '' ? correlation : platform.ids.next(),
    source: 'api',
  };
};
