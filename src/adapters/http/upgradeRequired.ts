/** The plain-HTTP answer of a WebSocket endpoint: 426, saying how to connect, instead of an empty 404; and its route's response schema. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './apiErrors.js';
import { responses, type Schema } from './schemas/common.js';

export const upgradeRequired = (endpoint: string) => async (_req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
  sendError(reply.header('upgrade', 'websocket'), 'upgrade_required', `${endpoint} is a WebSocket endpoint: connect to it with a WebSocket client (ws:// or wss://)`);

/** What a WebSocket route answers over HTTP: 101 and then `messages`, or 426 to a plain request. */
export const websocketResponses = (messages: string): Record<number, Schema> =>
  responses({ 101: { type: 'null', description: `switches to the WebSocket protocol, then sends ${messages}` } }, ['upgrade_required', 'not_found']);

/** `?key=`: the API key, for browsers, whose WebSocket clients cannot set an Authorization header. */
export const WEBSOCKET_KEY = { type: 'string', maxLength: 256, description: 'the API key, for clients that cannot send an Authorization header' } as const;
