/**
 * The routes a server has, as they are registered: what its 404 lists, and what a test walks to
 * cover every route (a new route is in both without anyone listing it). The query and body
 * fields come from the route's JSON schema.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';

export interface RouteEntry {
  readonly method: string;
  /** Fastify's path, params as `:name`. */
  readonly url: string;
  readonly websocket: boolean;
  readonly query: readonly string[];
  readonly body: readonly string[];
}

const catalogues = new WeakMap<FastifyInstance, RouteEntry[]>();

const fieldsOf = (schema: unknown): string[] => {
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties === undefined ? [] : Object.keys(properties);
};

/** Starts recording the routes registered on `app` from now on. */
export const recordRoutes = (app: FastifyInstance): void => {
  const entries: RouteEntry[] = [];
  catalogues.set(app, entries);
  app.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) {
      // HEAD twins of GET routes are Fastify's own.
      if (method === 'HEAD') continue;
      entries.push({ method, url: route.url, websocket: route.websocket === true || route.wsHandler !== undefined, query: fieldsOf(route.schema?.querystring), body: fieldsOf(route.schema?.body) });
    }
  });
};

export const routesOf = (app: FastifyInstance): readonly RouteEntry[] => catalogues.get(app) ?? [];

/** `GET /api/v1/ohlcv/{symbol}?interval&from&to`, `WS /ws/alerts?symbols&...`. */
export const describeRoute = (r: RouteEntry): string =>
  `${r.websocket ? 'WS' : r.method} ${r.url.replace(/:([A-Za-z]+)/g, '{$1}')}${r.query.length === 0 ? '' : `?${r.query.join('&')}`}`;
