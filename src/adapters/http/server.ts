/** The Fastify server: route plugins per resource, one error handler mapping typed domain errors. */
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import type { HttpPlatform } from './httpPlatform.js';
import {
  isCommandRejectedError,
  isExpectedVersionConflictError,
  isInvalidInputError,
  isNotFoundError,
  isUnavailableError,
} from '../../domain/errors.js';
import { DASHBOARD_HTML } from './dashboard/indexHtml.js';
import { createRequestMetrics } from './requestMetrics.js';
import commandRoutes from './routes/commands.js';
import alertRoutes from './routes/alerts.js';
import alertStreamRoutes from './routes/alertStream.js';
import complianceRoutes from './routes/compliance.js';
import marketRoutes from './routes/market.js';
import operationsRoutes from './routes/operations.js';
import streamRoutes from './routes/stream.js';

const ENDPOINTS = [
  'GET /api/v1/symbols',
  'GET /api/v1/realtime/{symbol}',
  'GET /api/v1/ohlcv/{symbol}?interval&from&to',
  'POST /api/v1/corrections',
  'POST /api/v1/recompute',
  'GET /api/v1/compliance/replay?symbol&asOf',
  'GET /api/v1/ledger/verify',
  'POST /api/v1/alert-rules',
  'GET /api/v1/alert-rules',
  'DELETE /api/v1/alert-rules/{id}',
  'GET /api/v1/alerts?symbol&from&to&severity&rule&limit&before',
  'GET /api/v1/alerts/{id}',
  'POST /api/v1/subscriptions',
  'GET /api/v1/subscriptions',
  'GET /api/v1/subscriptions/{id}/deliveries',
  'WS /ws/stream/{symbol}',
  'WS /ws/alerts?symbols&severity&rule&from',
  'GET /health',
  'GET /metrics',
];

export const buildServer = async (platform: HttpPlatform, options: { logger: Logger | false }): Promise<FastifyInstance> => {
  const app = Fastify({
    loggerInstance: options.logger === false ? undefined : (options.logger as FastifyBaseLogger),
  }) as unknown as FastifyInstance;
  const requests = createRequestMetrics();
  app.addHook('onResponse', async (req, reply) => {
    requests.observe(req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime);
  });

  app.setErrorHandler((error: Error, req, reply) => {
    if (isInvalidInputError(error)) return reply.code(400).send({ error: 'bad_request', message: error.reason });
    if ((error as { validation?: unknown }).validation !== undefined) {
      return reply.code(400).send({ error: 'bad_request', message: error.message });
    }
    if (isNotFoundError(error)) return reply.code(404).send({ error: 'not_found', message: error.message });
    if (isUnavailableError(error)) {
      return reply.code(503).header('retry-after', String(error.retryAfterSeconds)).send({ error: 'unavailable', message: error.message });
    }
    if (isCommandRejectedError(error) || isExpectedVersionConflictError(error)) {
      return reply.code(409).send({ error: 'conflict', message: error.message });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(status).send({ error: 'bad_request', message: error.message });
    }
    req.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ error: 'internal', message: 'internal error; see the server log', requestId: req.id });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url}`, endpoints: ENDPOINTS }),
  );

  await app.register(websocket);
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(DASHBOARD_HTML));
  await app.register(operationsRoutes, { platform, requests });
  await app.register(marketRoutes, { platform });
  await app.register(commandRoutes, { platform });
  await app.register(complianceRoutes, { platform });
  await app.register(streamRoutes, { platform });
  await app.register(alertRoutes, { platform });
  await app.register(alertStreamRoutes, { platform });
  return app;
};
