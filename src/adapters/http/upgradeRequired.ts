/** The plain-HTTP answer of a WebSocket endpoint: 426, saying how to connect, instead of an empty 404. */
import type { FastifyReply, FastifyRequest } from 'fastify';

export const upgradeRequired = (endpoint: string) => async (_req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
  reply
    .code(426)
    .header('upgrade', 'websocket')
    .send({ error: 'upgrade_required', message: `${endpoint} is a WebSocket endpoint: connect to it with a WebSocket client (ws:// or wss://)` });
