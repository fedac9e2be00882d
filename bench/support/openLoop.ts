/**
 * An open-loop load generator: request i is due at start + i/rate whatever the earlier ones are
 * doing (autocannon's overallRate is closed-loop: a stalled server slows the sender, and the
 * stall never shows in the latencies). Each latency is measured from the moment the request was
 * due, not from when it went out, so a sender delayed by the server's slowness (or by its own
 * event loop) is charged to the answer; how late the sender itself was is reported beside it.
 */
import http from 'node:http';

export interface OpenLoopTarget {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  /** GET unless said; a body is sent as JSON. */
  readonly method?: 'GET' | 'POST';
  readonly body?: string;
}

export interface OpenLoopResult {
  /** Per request, in the order they were due: ms from due to the answer's end; NaN when it failed. */
  readonly latencyMs: Float64Array;
  /** Per request: ms from due to sent (the sender's own lateness). */
  readonly sendLagMs: Float64Array;
  /** Per request: the answer's status (0: no answer). */
  readonly status: Uint16Array;
  /** Per request: wall-clock epoch ms at which the answer ended (0: none). */
  readonly answeredAt: Float64Array;
  /** Per request: which target it went to. */
  readonly target: Uint8Array;
  readonly sent: number;
}

export interface OpenLoopOptions {
  readonly rate: number;
  readonly durationS: number;
  /** Requests go to these in turn (two API processes behind one key, say). */
  readonly targets: readonly OpenLoopTarget[];
  /** Sockets per target: enough that a slow answer never holds the next request back. */
  readonly socketsPerTarget?: number;
}

const TICK_MS = 1;

export const openLoop = (o: OpenLoopOptions): Promise<OpenLoopResult> => {
  const total = Math.round(o.rate * o.durationS);
  const latencyMs = new Float64Array(total).fill(Number.NaN);
  const sendLagMs = new Float64Array(total);
  const status = new Uint16Array(total);
  const answeredAt = new Float64Array(total);
  const target = new Uint8Array(total);
  const agents = o.targets.map(() => new http.Agent({ keepAlive: true, maxSockets: o.socketsPerTarget ?? 128 }));
  const intervalMs = 1_000 / o.rate;
  return new Promise((resolve) => {
    let next = 0;
    let outstanding = 0;
    const start = performance.now();
    const wallAtStart = Date.now();
    const finish = (): void => {
      if (next < total || outstanding > 0) return;
      for (const a of agents) a.destroy();
      resolve({ latencyMs, sendLagMs, status, answeredAt, target, sent: next });
    };
    const send = (i: number, due: number): void => {
      const t = i % o.targets.length;
      const { url, headers, method, body } = o.targets[t]!;
      target[i] = t;
      outstanding += 1;
      sendLagMs[i] = performance.now() - due;
      const allHeaders = body === undefined ? headers : { ...headers, 'content-type': 'application/json' };
      const req = http.request({ method: method ?? 'GET', host: url.hostname, port: url.port, path: url.pathname + url.search, headers: allHeaders, agent: agents[t] }, (res) => {
        res.resume();
        res.on('end', () => {
          const now = performance.now();
          latencyMs[i] = now - due;
          status[i] = res.statusCode ?? 0;
          answeredAt[i] = wallAtStart + (now - start);
          outstanding -= 1;
          finish();
        });
      });
      req.on('error', () => {
        outstanding -= 1;
        finish();
      });
      req.end(body);
    };
    const timer = setInterval(() => {
      const now = performance.now();
      while (next < total && start + next * intervalMs <= now) {
        send(next, start + next * intervalMs);
        next += 1;
      }
      if (next >= total) {
        clearInterval(timer);
        finish();
      }
    }, TICK_MS);
  });
};

/** The p-th percentile (0-100) of the finite values, nearest rank; NaN when there are none. */
export const percentile = (values: ArrayLike<number>, p: number): number => {
  const sorted = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};

export const round = (x: number, digits = 2): number => Number(x.toFixed(digits));
