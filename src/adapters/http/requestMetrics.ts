/** HTTP request counts and a latency histogram per route, in Prometheus exposition format. */
const BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000];

interface RouteStats {
  count: number;
  errors: number;
  sumMs: number;
  buckets: number[];
}

export interface RequestMetrics {
  observe(route: string, status: number, ms: number): void;
  exposition(): string[];
}

export const createRequestMetrics = (): RequestMetrics => {
  const routes = new Map<string, RouteStats>();
  return {
    observe(route, status, ms) {
      let s = routes.get(route);
      if (s === undefined) routes.set(route, (s = { count: 0, errors: 0, sumMs: 0, buckets: BUCKETS_MS.map(() => 0) }));
      s.count++;
      if (status >= 500) s.errors++;
      s.sumMs += ms;
      BUCKETS_MS.forEach((b, i) => {
        if (ms <= b) s.buckets[i]!++;
      });
    },
    exposition() {
      const out = [
        '# HELP tickvault_http_request_duration_ms HTTP request latency by route.',
        '# TYPE tickvault_http_request_duration_ms histogram',
      ];
      for (const [route, s] of routes) {
        BUCKETS_MS.forEach((b, i) => out.push(`tickvault_http_request_duration_ms_bucket{route="${route}",le="${b}"} ${s.buckets[i]}`));
        out.push(`tickvault_http_request_duration_ms_bucket{route="${route}",le="+Inf"} ${s.count}`);
        out.push(`tickvault_http_request_duration_ms_sum{route="${route}"} ${s.sumMs.toFixed(3)}`);
        out.push(`tickvault_http_request_duration_ms_count{route="${route}"} ${s.count}`);
      }
      out.push('# HELP tickvault_http_server_errors_total Responses with status 5xx.', '# TYPE tickvault_http_server_errors_total counter');
      for (const [route, s] of routes) out.push(`tickvault_http_server_errors_total{route="${route}"} ${s.errors}`);
      return out;
    },
  };
};
