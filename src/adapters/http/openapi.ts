/**
 * The API's contract, made from the JSON schemas every route declares: the OpenAPI 3.1 document
 * at GET /openapi.json and a page to read and try it at /docs (@fastify/swagger and
 * @fastify/swagger-ui). Both hold no data and are open without a key (access/routeRoles.ts).
 * Registered before the routes, whose declarations @fastify/swagger collects as they are added.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { API_ERRORS, API_ERROR_CODES } from './apiErrors.js';

export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PATH = '/docs';

const description = [
  'Market data, alerts, analytics, risk, portfolios, backtests, compliance replay and the signed ledger of tickvault.',
  '',
  'Send an API key as `Authorization: Bearer <key>` (WebSocket routes also take `?key=<key>`). On an embedded platform bound to a loopback address, reads of market data, alerts and analytics need none.',
  '',
  'Every error answers `{"error": <code>, "message": <what was wrong and what to do>, "details"?: ...}`; each code has one status:',
  '',
  ...API_ERROR_CODES.map((code) => `- \`${code}\` (${API_ERRORS[code].status}): ${API_ERRORS[code].meaning}`),
].join('\n');

export const registerOpenApi = async (app: FastifyInstance): Promise<void> => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'tickvault API', version: '1', description },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'an API key: `tickvault keys create --role ROLE --name NAME`' } } },
      security: [{ apiKey: [] }, {}],
    },
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PATH });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
};
