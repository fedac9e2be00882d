/**
 * Every route the server registers is in its OpenAPI document with a schema for what it answers
 * when it succeeds, and with the error answers every route may give (the key check, the rate
 * limit, a malformed URL, a fault). The routes are the server's own, so a new route without its
 * schemas fails here. The platform behind the server is inert: no request is made, the routes
 * are only registered.
 */
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpPlatform } from '../../../src/adapters/http/httpPlatform.js';
import { DOCS_PATH, OPENAPI_PATH } from '../../../src/adapters/http/openapi.js';
import { routesOf } from '../../../src/adapters/http/routeCatalogue.js';
import { buildServer } from '../../../src/adapters/http/server.js';
import { DEFAULT_CONFIG } from '../../../src/app/config.js';

/** Anything read from it is another of it, and calling it too: enough to register routes, never to answer one. */
const inert = (): unknown =>
  new Proxy(() => undefined, { get: (_target, property) => (property === 'then' ? undefined : inert()), apply: () => inert() });

const inertPlatform = (): HttpPlatform =>
  new Proxy({ config: DEFAULT_CONFIG, telemetry: { registry: new Registry() }, rateLimitRedis: undefined } as Record<string | symbol, unknown>, {
    get: (target, property) => (property in target ? target[property] : inert()),
  }) as unknown as HttpPlatform;

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

describe('route schemas', () => {
  let app: FastifyInstance;
  let paths: Record<string, Record<string, Operation>>;
  beforeAll(async () => {
    app = await buildServer(inertPlatform(), { logger: false, webRoot: '/nonexistent' });
    await app.ready();
    paths = (app.swagger() as { paths: Record<string, Record<string, Operation>> }).paths;
  });
  afterAll(() => app.close());

  it('documents every route with a schema of its success answer and the error answers of every route', () => {
    expect(routesOf(app).length).toBeGreaterThan(40);
    const missing: string[] = [];
    for (const route of routesOf(app)) {
      // The contract's own routes (the document and its page) are not part of it.
      if (route.url === OPENAPI_PATH || route.url === DOCS_PATH || route.url.startsWith(`${DOCS_PATH}/`)) continue;
      const name = `${route.method} ${route.url}`;
      const operation = paths[route.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[route.method.toLowerCase()];
      if (operation?.responses === undefined) {
        missing.push(`${name}: not in the document`);
        continue;
      }
      const statuses = Object.keys(operation.responses);
      const successes = statuses.filter((s) => /^2\d\d$/.test(s) || (route.websocket && s === '101'));
      if (successes.length === 0) missing.push(`${name}: no success answer`);
      for (const s of successes.filter((s) => s !== '101')) {
        const content = operation.responses[s]!.content;
        if (content === undefined || Object.values(content).some((c) => c.schema === undefined)) missing.push(`${name}: no schema for ${s}`);
      }
      for (const s of ['400', '401', '403', '429', '500']) if (!statuses.includes(s)) missing.push(`${name}: no ${s} answer`);
    }
    expect(missing).toEqual([]);
  });
});
