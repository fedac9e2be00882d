/**
 * Which role each route needs: one table, keyed by method (reads: GET, HEAD, OPTIONS; writes:
 * everything else) and URL prefix. A prefix matches its own URL and every URL under it, segment by
 * segment (`/api/v1/alerts` does not match `/api/v1/alert-rules`); the longest match wins; `/`
 * is the dashboard page alone (its scripts and styles are under `/assets`). A route the table
 * does not name needs `viewer` to read and `admin` to write, and is never open without a key.
 *
 * `open` says when a read needs no key at all: `always` for the liveness answer (probes carry
 * no key), the dashboard's static files and the API's contract (/openapi.json, /docs), `local`
 * for market data, alerts and analytics on an embedded platform bound to a loopback address
 * (accessPolicy.ts), and never otherwise.
 */
import type { Role } from '../../../domain/access/roles.js';

export type MethodClass = 'read' | 'write';
export type Openness = 'always' | 'local' | 'never';

export interface RouteRole {
  readonly method: MethodClass;
  readonly prefix: string;
  readonly role: Role;
  readonly open: Openness;
}

const read = (prefix: string, role: Role, open: Openness = 'never'): RouteRole => ({ method: 'read', prefix, role, open });
const write = (prefix: string, role: Role): RouteRole => ({ method: 'write', prefix, role, open: 'never' });

export const ROUTE_ROLES: readonly RouteRole[] = [
  // The dashboard's files hold no data (every figure it shows comes from the routes below, with
  // the key the page asks for): a browser must load them to be asked for a key at all.
  read('/', 'viewer', 'always'),
  read('/assets', 'viewer', 'always'),
  // Operations and documents.
  read('/health', 'viewer', 'always'),
  read('/metrics', 'viewer', 'local'),
  // The API's contract and its docs page describe routes, not data: open like the dashboard's files.
  read('/openapi.json', 'viewer', 'always'),
  read('/docs', 'viewer', 'always'),
  read('/api/v1/routes', 'viewer', 'local'),
  // Market data.
  read('/api/v1/symbols', 'viewer', 'local'),
  read('/api/v1/realtime', 'viewer', 'local'),
  read('/api/v1/ohlcv', 'viewer', 'local'),
  read('/api/v1/orderflow', 'viewer', 'local'),
  read('/ws/stream', 'viewer', 'local'),
  read('/api/v1/orderbook', 'viewer', 'local'),
  read('/ws/book', 'viewer', 'local'),
  // Alerts: reading them is a viewer's; rules and webhooks are a trader's to make.
  read('/api/v1/alerts', 'viewer', 'local'),
  read('/ws/alerts', 'viewer', 'local'),
  read('/api/v1/alert-rules', 'viewer', 'local'),
  write('/api/v1/alert-rules', 'trader'),
  // Webhook targets and their delivery log are a trader's, not public.
  read('/api/v1/subscriptions', 'trader'),
  write('/api/v1/subscriptions', 'trader'),
  // Analytics: risk figures, correlations, models and predictions are read by viewers.
  read('/api/v1/risk', 'viewer', 'local'),
  write('/api/v1/risk', 'risk'),
  read('/api/v1/analytics', 'viewer', 'local'),
  read('/api/v1/features', 'viewer', 'local'),
  read('/api/v1/models', 'viewer', 'local'),
  read('/api/v1/predictions', 'viewer', 'local'),
  // A trader asks for predictions and trains candidate models (as for backtests: compute, nothing
  // served changes); which version the desk's predictions come from (an alias, `champion`) is a
  // model-risk decision: the risk role's, so the one who trains is not alone the one who promotes.
  write('/api/v1/predictions', 'trader'),
  write('/api/v1/models', 'trader'),
  write('/api/v1/models/aliases', 'risk'),
  read('/api/v1/backtests', 'trader'),
  write('/api/v1/backtests', 'trader'),
  read('/api/v1/portfolios', 'risk'),
  write('/api/v1/portfolios', 'risk'),
  // Compliance: replay, the ledger and its proofs, corrections and the recomputes they cause.
  read('/api/v1/compliance', 'compliance'),
  read('/api/v1/ledger', 'compliance'),
  write('/api/v1/corrections', 'compliance'),
  write('/api/v1/recompute', 'compliance'),
  read('/api/v1/jobs', 'compliance'),
  // Keys.
  read('/api/v1/keys', 'admin'),
  write('/api/v1/keys', 'admin'),
];

export const methodClass = (method: string): MethodClass => (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 'read' : 'write');

const segments = (url: string): string[] => url.split('?')[0]!.split('/').filter((s) => s !== '');

const matches = (prefix: string, url: string): boolean => {
  const p = segments(prefix);
  const u = segments(url);
  if (p.length === 0) return u.length === 0;
  return p.length <= u.length && p.every((s, i) => s === u[i]);
};

/** The table's entry for a route (its registered URL), or the default when none matches. */
const lookUp = (kind: MethodClass, url: string): RouteRole => {
  let best: RouteRole | undefined;
  for (const entry of ROUTE_ROLES) {
    if (entry.method === kind && matches(entry.prefix, url) && (best === undefined || segments(entry.prefix).length > segments(best.prefix).length)) best = entry;
  }
  return best ?? { method: kind, prefix: url, role: kind === 'read' ? 'viewer' : 'admin', open: 'never' };
};

/** Answers per method class and registered URL: a finite set, asked on every request (the table scan showed as 4% of an API process's CPU). */
const answered = new Map<string, RouteRole>();

export const accessFor = (method: string, url: string): RouteRole => {
  const kind = methodClass(method);
  const key = `${kind} ${url}`;
  let found = answered.get(key);
  if (found === undefined) {
    found = lookUp(kind, url);
    answered.set(key, found);
  }
  return found;
};
