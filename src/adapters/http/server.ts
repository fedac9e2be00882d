/** The Fastify server: route plugins per resource, one error handler mapping typed domain errors. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { HttpPlatform } from './httpPlatform.js';
import { clientError, installErrorHandler, MAX_PARAM_LENGTH, routerError } from './errorHandler.js';
import { registerOpenApi } from './openapi.js';
import { responseSerializer } from './responseCheck.js';
import { addRouterAnswers, responses } from './schemas/common.js';
import { routesAnswer } from './schemas/operations.js';
import { registerDashboard } from './dashboard/dashboardFiles.js';
import { ANONYMOUS_ACTOR, logRequest, requestLogLevel, type RequestLogLevel } from './requestLog.js';
import { describeRoute, recordRoutes, routesOf } from './routeCatalogue.js';
import { createRequestMetrics } from './requestMetrics.js';
import commandRoutes from './routes/commands.js';
import alertRoutes from './routes/alerts.js';
import alertStreamRoutes from './routes/alertStream.js';
import complianceRoutes from './routes/compliance.js';
import featureRoutes from './routes/features.js';
import ledgerRoutes from './routes/ledger.js';
import marketRoutes from './routes/market.js';
import operationsRoutes from './routes/operations.js';
import riskRoutes from './routes/risk.js';
import keyRoutes from './routes/keys.js';
import { installAuthentication, principalOf, withoutKey } from './access/authenticate.js';
import { installRateLimit } from './access/rateLimit.js';
import backtestRoutes from './routes/backtests.js';
import analyticsRoutes from './routes/analytics.js';
import riskSymbolsRoutes from './routes/riskSymbols.js';
import portfolioRoutes from './routes/portfolios.js';
import modelRoutes from './routes/models.js';
import predictionRoutes from './routes/predictions.js';
import streamRoutes from './routes/stream.js';
import orderBookRoutes from './routes/orderBook.js';
import orderFlowRoutes from './routes/orderFlow.js';
import bookStreamRoutes from './routes/bookStream.js';

export interface ServerOptions {
  readonly logger: Logger | false;
  /** Requests at least this slow are logged at info, the rest that succeed at debug (requestLog.ts); default: the `slowRequestMs` setting. */
  readonly slowRequestMs?: number;
  /** The built dashboard (index.html and assets/); default: dist/web/ of this checkout. */
  readonly webRoot?: string;
  /**
   * Validate every answer against its route's response schema (a mismatch is a 500 naming it):
   * on in the tests (TICKVAULT_CHECK_RESPONSES=1, set by vitest.config.ts), off in service.
   */
  readonly checkResponses?: boolean;
  /** 'operations': health and metrics only, for a process that runs no API role (probes and Prometheus still reach it); default 'all'. */
  readonly routes?: 'all' | 'operations';
}

/** A caller's X-Request-Id is kept (a balancer's or a client's, so one id follows a request across services) when it is a plain token. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const requestIdOf = (req: IncomingMessage): string => {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
};

export const buildServer = async (platform: HttpPlatform, options: ServerOptions): Promise<FastifyInstance> => {
  const app = Fastify({
    loggerInstance: options.logger === false ? undefined : (options.logger as FastifyBaseLogger),
    // requestLog.ts logs each request once, instead of Fastify's two multi-line entries.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    requestIdHeader: false,
    genReqId: requestIdOf,
    frameworkErrors: routerError,
    clientErrorHandler: clientError,
  }) as unknown as FastifyInstance;
  recordRoutes(app);
  app.addHook('onRoute', addRouterAnswers);
  const slowMs = options.slowRequestMs ?? platform.config.slowRequestMs;
  const requests = createRequestMetrics(platform.telemetry.registry);
  /** What made a request fail with 5xx, for its log line. */
  const failures = new WeakMap<FastifyRequest, Error>();
  app.addHook('onRequest', async (req, reply) => void reply.header('x-request-id', req.id));
  // Most requests are logged at debug, which a service at info drops: the line is built only when it would be written.
  const logger = options.logger;
  const writes = (level: RequestLogLevel): boolean => logger !== false && logger.isLevelEnabled(level);
  app.addHook('onResponse', async (req, reply) => {
    const ms = reply.elapsedTime;
    requests.observe({ route: req.routeOptions.url, method: req.method, status: reply.statusCode, seconds: ms / 1000 });
    if (!writes(requestLogLevel(reply.statusCode, ms, slowMs))) return;
    const error = failures.get(req);
    const actor = principalOf(req)?.keyId ?? ANONYMOUS_ACTOR;
    logRequest(app.log, { method: req.method, url: withoutKey(req.url), status: reply.statusCode, ms, requestId: req.id, actor, ...(error === undefined ? {} : { error }) }, slowMs);
  });

  installErrorHandler(app, {
    rateLimited: (req) => requests.rateLimited(principalOf(req)?.role ?? ANONYMOUS_ACTOR),
    failed: (req, error) => failures.set(req, error),
  });
  app.setSerializerCompiler(responseSerializer(options.checkResponses ?? process.env.TICKVAULT_CHECK_RESPONSES === '1'));

  await app.register(websocket);
  // After the WebSocket plugin, whose own hook marks upgrade requests; before every route.
  installAuthentication(app, platform.keys, platform.config);
  await installRateLimit(app, { ...platform.config, redis: platform.rateLimitRedis });
  await registerOpenApi(app);
  if (options.routes === 'operations') {
    await app.register(operationsRoutes, { platform });
    return app;
  }
  registerDashboard(app, options.webRoot);
  // What this platform serves: the dashboard asks before reading a route another part may not have yet.
  app.get('/api/v1/routes', { schema: { response: responses({ 200: routesAnswer }) } }, async () => ({ endpoints: routesOf(app).map(describeRoute) }));
  await app.register(operationsRoutes, { platform });
  await app.register(marketRoutes, { platform });
  await app.register(orderFlowRoutes, { platform });
  await app.register(commandRoutes, { platform });
  await app.register(complianceRoutes, { platform });
  await app.register(ledgerRoutes, { platform });
  await app.register(streamRoutes, { platform });
  await app.register(alertRoutes, { platform });
  await app.register(alertStreamRoutes, { platform });
  await app.register(riskRoutes, { platform });
  await app.register(keyRoutes, { platform });
  await app.register(backtestRoutes, { platform });
  await app.register(analyticsRoutes, { platform });
  await app.register(riskSymbolsRoutes, { platform });
  await app.register(portfolioRoutes, { platform });
  await app.register(featureRoutes, { platform });
  await app.register(orderBookRoutes, { platform });
  await app.register(bookStreamRoutes, { platform });
  await app.register(modelRoutes, { platform });
  await app.register(predictionRoutes, { platform });
  return app;
};
