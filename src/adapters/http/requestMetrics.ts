/**
 * The API's RED metrics, in the platform's Prometheus registry: requests by route pattern
 * (`/api/v1/ohlcv/:symbol`, never the URL, so one label value per route), method and status
 * class; server errors (5xx) by route; a latency histogram per route; and requests the rate
 * limiter refused, by the role of their key. Several servers on one platform (tests) share the
 * same metrics.
 */
import { Counter, Histogram, type Registry } from 'prom-client';

/** Seconds: from a cached read (sub-millisecond) to a slow compliance replay. */
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The label of requests that matched no route (answered 404 with the route list). */
export const UNMATCHED_ROUTE = 'unmatched';

export interface RequestMetrics {
  observe(r: { readonly route: string | undefined; readonly method: string; readonly status: number; readonly seconds: number }): void;
  /** A request the rate limiter refused; `role` of its key, `anonymous` without one. */
  rateLimited(role: string): void;
}

const statusClass = (status: number): string => `${Math.floor(status / 100)}xx`;

/** The metric already in the registry (another server of the same platform made it), or a new one. */
const existing = <M>(registry: Registry, name: string, make: () => M): M => (registry.getSingleMetric(name) as M | undefined) ?? make();

export const createRequestMetrics = (registry: Registry): RequestMetrics => {
  const registers = [registry];
  const requests = existing(registry, 'tickvault_http_requests_total', () =>
    new Counter({ name: 'tickvault_http_requests_total', help: 'HTTP requests answered, by route pattern, method and status class (2xx, 4xx, 5xx).', labelNames: ['route', 'method', 'status_class'], registers }));
  const errors = existing(registry, 'tickvault_http_request_errors_total', () =>
    new Counter({ name: 'tickvault_http_request_errors_total', help: 'HTTP requests answered with a server error (5xx), by route pattern and method.', labelNames: ['route', 'method'], registers }));
  const duration = existing(registry, 'tickvault_http_request_duration_seconds', () =>
    new Histogram({ name: 'tickvault_http_request_duration_seconds', help: 'HTTP request latency, by route pattern and method.', labelNames: ['route', 'method'], buckets: DURATION_BUCKETS, registers }));
  const limited = existing(registry, 'tickvault_http_rate_limited_total', () =>
    new Counter({ name: 'tickvault_http_rate_limited_total', help: 'Requests the rate limiter refused (429), by the role of their key (anonymous: none).', labelNames: ['role'], registers }));
  return {
    observe({ route, method, status, seconds }) {
      const labels = { route: route ?? UNMATCHED_ROUTE, method };
      requests.inc({ ...labels, status_class: statusClass(status) });
      if (status >= 500) errors.inc(labels);
      duration.observe(labels, seconds);
    },
    rateLimited: (role) => limited.inc({ role }),
  };
};
