/**
 * Any request to any route of the embedded platform is answered without a 5xx: arbitrary path
 * params, query strings (the route's own fields and others, well-formed and not) and bodies. The
 * routes are taken from the server as it registered them, so a new route is covered without
 * being listed here. Every 4xx says what was wrong in a short `{error, message}`. Requests carry an
 * admin key, so that every route's own handling is reached, not only the key check.
 */
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routesOf, type RouteEntry } from '../../../src/adapters/http/routeCatalogue.js';
import { buildServer } from '../../../src/adapters/http/server.js';
import { bearer, issueKey, openTestPlatform, origin, trade } from '../../support/platform.js';

const T = Date.UTC(2024, 0, 1);

/** Values that have broken or could break parsing, beside arbitrary text and numbers. */
const edgeValues = fc.constantFrom(
  '', 'BTC-USDT', 'btc-usdt', 'ETH-USDT', 'FOO-BAR', '*', '-1', '0', '1', '99999999999999999999999', 'Infinity', '-Infinity', 'NaN', '1e308',
  '1.5', '0x10', '2024-01-01', '2024-01-01T12:00:00Z', '2024-02-30', '2024-13-01', '1m', '1d', 'info', 'critical', 'null', 'true', '[]', '{}',
  'A'.repeat(10_000), `${T}`, `${T + 3_600_000}`, '1700000000000000000',
);
const value = fc.oneof(
  edgeValues,
  fc.string({ maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);

const queryOf = (route: RouteEntry): fc.Arbitrary<string> => {
  const key = route.query.length === 0 ? fc.string({ maxLength: 8 }) : fc.oneof(fc.constantFrom(...route.query), fc.string({ maxLength: 8 }));
  const pairs = fc.array(fc.tuple(key, value), { maxLength: 6 }).map((p) => new URLSearchParams(p).toString());
  const junk = fc.constantFrom('%', '%zz', '%E0%A4%A', '&&=', 'a[b]=c', '==', '+', '?');
  return fc.oneof({ weight: 4, arbitrary: pairs }, { weight: 1, arbitrary: fc.tuple(pairs, junk).map(([p, j]) => `${p}${j}`) });
};

const pathOf = (route: RouteEntry): fc.Arbitrary<string> => {
  const names = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  return fc.array(value, { minLength: names.length, maxLength: names.length }).map((values) =>
    names.reduce((url, name, i) => url.replace(`:${name}`, encodeURIComponent(values[i]!)), route.url),
  );
};

const json = fc.jsonValue({ maxDepth: 3 });
const bodyOf = (route: RouteEntry): fc.Arbitrary<Pick<InjectOptions, 'payload' | 'headers'>> => {
  const fields = route.body.length === 0 ? fc.constant({}) : fc.dictionary(fc.constantFrom(...route.body), fc.oneof(value, json, fc.array(value, { maxLength: 3 })));
  return fc.oneof(
    { weight: 4, arbitrary: fields.map((payload) => ({ payload })) },
    { weight: 1, arbitrary: json.map((v) => ({ payload: JSON.stringify(v), headers: { 'content-type': 'application/json' } })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((s) => ({ payload: s, headers: { 'content-type': 'application/json' } })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((s) => ({ payload: s, headers: { 'content-type': 'text/plain' } })) },
  );
};

describe('any request to any route (embedded platform)', () => {
  let app: FastifyInstance;
  let key: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const t = await openTestPlatform();
    cleanup = t.cleanup;
    const recorded = await t.platform.commands.recordObservations({
      origin,
      items: [trade('1', '100', T), trade('2', '101', T + 60_000), trade('3', '50', T, { symbol: 'ETH-USDT' })],
    });
    await t.platform.liveProjection.waitFor(recorded.lastPosition);
    await t.platform.batchProjector.runOnce();
    app = await buildServer(t.platform, { logger: false });
    ({ key } = await issueKey(t.platform));
  });
  afterAll(async () => {
    await app.close();
    await cleanup();
  });

  it('answers every route without a 5xx, and every 4xx with a short {error, message}', async () => {
    const routes = routesOf(app);
    // The catalogue is the server's own: the routes the 404 lists are the ones walked here.
    const listed = (await app.inject('/no/such/route')).json().details.endpoints as string[];
    expect(listed).toHaveLength(routes.length);
    expect(routes.map((r) => r.url)).toEqual(expect.arrayContaining(['/api/v1/ohlcv/:symbol', '/api/v1/alert-rules', '/ws/alerts']));
    for (const route of routes) {
      const request = fc.record({ path: pathOf(route), query: queryOf(route), body: bodyOf(route) });
      await fc.assert(
        fc.asyncProperty(request, async ({ path, query, body }) => {
          const url = query === '' ? path : `${path}?${query}`;
          const sent = route.method === 'GET' || route.method === 'DELETE' ? {} : body;
          const r = await app.inject({ method: route.method as InjectOptions['method'], url, ...sent, headers: { ...bearer(key), ...sent.headers } });
          const what = `${route.method} ${url.slice(0, 200)} → ${r.statusCode} ${r.body.slice(0, 300)}`;
          expect(r.statusCode, what).toBeLessThan(500);
          if (r.statusCode >= 400) {
            const answer = r.json() as { error?: unknown; message?: unknown };
            expect(typeof answer.error, what).toBe('string');
            expect(typeof answer.message, what).toBe('string');
            expect((answer.message as string).length, what).toBeLessThanOrEqual(500);
          }
        }),
        { numRuns: 60 },
      );
    }
  }, 240_000);
});
