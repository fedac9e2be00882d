/**
 * One log line per HTTP request, and only when a person should see it: failures (5xx at error,
 * with the error; 4xx at info) and slow requests (info); everything else at debug. The message is
 * the request as a person reads it, `GET /api/v1/symbols 200 3 ms`; beside it every line carries
 * the request id (`reqId`, also sent back as X-Request-Id) and the actor (`actor`: the id of the
 * API key the request was made with, `anonymous` without one), which a log shipper indexes and
 * the pretty printer shows on the same line.
 */
import type { FastifyBaseLogger } from 'fastify';
import { clipText } from '../../domain/validation.js';

export type RequestLogLevel = 'error' | 'info' | 'debug';

/** The actor of a request made without a key (an open read). */
export const ANONYMOUS_ACTOR = 'anonymous';

export const requestLogLevel = (status: number, ms: number, slowMs: number): RequestLogLevel =>
  status >= 500 ? 'error' : status >= 400 || ms >= slowMs ? 'info' : 'debug';

export interface RequestOutcome {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly ms: number;
  readonly requestId: string;
  /** The key id, or ANONYMOUS_ACTOR. */
  readonly actor: string;
  /** What made a 5xx: logged with its stack. */
  readonly error?: Error;
}

export const requestLine = (r: RequestOutcome, slowMs: number): string => {
  const slow = r.ms >= slowMs ? ` (slow: over ${slowMs} ms)` : '';
  return `${r.method} ${clipText(r.url, 160)} ${r.status} ${Math.round(r.ms)} ms${slow}`;
};

export const logRequest = (log: FastifyBaseLogger, r: RequestOutcome, slowMs: number): void => {
  const level = requestLogLevel(r.status, r.ms, slowMs);
  const fields = { reqId: r.requestId, actor: r.actor, ...(level === 'error' && r.error !== undefined ? { err: r.error } : {}) };
  log[level](fields, requestLine(r, slowMs));
};
