/**
 * One log line per HTTP request, and only when a person should see it: failures (5xx at error,
 * with the error; 4xx at info) and slow requests (info); everything else at debug. The line is
 * the request as a person reads it, `GET /api/v1/symbols 200 3 ms`, with no fields that a pretty
 * printer would spread over more lines.
 */
import type { FastifyBaseLogger } from 'fastify';
import { clipText } from '../../domain/validation.js';

export type RequestLogLevel = 'error' | 'info' | 'debug';

export const requestLogLevel = (status: number, ms: number, slowMs: number): RequestLogLevel =>
  status >= 500 ? 'error' : status >= 400 || ms >= slowMs ? 'info' : 'debug';

export interface RequestOutcome {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly ms: number;
  readonly requestId: string;
  /** What made a 5xx: logged with its stack. */
  readonly error?: Error;
}

export const requestLine = (r: RequestOutcome, slowMs: number): string => {
  const slow = r.ms >= slowMs ? ` (slow: over ${slowMs} ms)` : '';
  const id = r.status >= 500 ? ` (request ${r.requestId})` : '';
  return `${r.method} ${clipText(r.url, 160)} ${r.status} ${Math.round(r.ms)} ms${slow}${id}`;
};

export const logRequest = (log: FastifyBaseLogger, r: RequestOutcome, slowMs: number): void => {
  const level = requestLogLevel(r.status, r.ms, slowMs);
  if (level === 'error') log.error(r.error === undefined ? {} : { err: r.error }, requestLine(r, slowMs));
  else log[level](requestLine(r, slowMs));
};
