/**
 * The platform's HTTP API and dashboard: the composition root picks the adapter (Fastify); the CLI
 * only listens and closes. A process without the api role serves health and metrics only.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildServer } from '../adapters/http/server.js';
import type { Platform } from './platform.js';

export const openHttpServer = (platform: Platform, logger: Logger): Promise<FastifyInstance> => buildServer(platform, { logger, routes: platform.roles.has('api') ? 'all' : 'operations' });
