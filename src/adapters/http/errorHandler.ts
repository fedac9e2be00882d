/**
 * Every error answer of the server goes through here, in the one shape of apiErrors.ts: typed
 * domain errors (src/domain/errors.ts), request validation (JSON schemas), the framework's own
 * (a body too large, a content type no parser reads, a malformed URL), the rate limiter's, and
 * faults, which answer 500 with the request id the log line carries. The key check (access/)
 * and the WebSocket routes' plain-HTTP answer send their own through `sendError`.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  isCommandRejectedError,
  isExpectedVersionConflictError,
  isInvalidInputError,
  isLakeTamperedError,
  isNotFoundError,
  isUnavailableError,
} from '../../domain/errors.js';
import { clipText } from '../../domain/validation.js';
import { codeOfStatus, errorJson, sendError, statusOf, type ApiErrorCode } from './apiErrors.js';
import { RateLimitedError } from './access/rateLimit.js';
import { describeRoute, routesOf } from './routeCatalogue.js';

/** Framework errors may quote the request: their messages are clipped. */
const MAX_FRAMEWORK_MESSAGE = 160;
const frameworkMessage = (error: Error): string => clipText(error.message, MAX_FRAMEWORK_MESSAGE);

/** Fastify's default: a longer path parameter is answered 414. */
export const MAX_PARAM_LENGTH = 100;

/** What the framework's own refusals should tell a client to do. */
const ADVICE: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'send a smaller body',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'send the body as application/json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'send a JSON body, or no content-type header with no body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'send valid JSON',
};

export interface ErrorHooks {
  /** A request refused by the rate limiter, by the role of its key (or anonymous). */
  rateLimited(req: FastifyRequest): void;
  /** A fault (5xx), for the request's log line. */
  failed(req: FastifyRequest, error: Error): void;
}

/** Errors of the router, before any route runs; its own answers quote the whole URL. */
export const routerError = (error: Error & { code?: string }, _req: FastifyRequest, reply: FastifyReply): FastifyReply =>
  error.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? sendError(reply, 'uri_too_long', `a path parameter is longer than ${MAX_PARAM_LENGTH} characters: shorten it`)
    : sendError(reply, 'bad_request', 'the URL is not valid (a malformed percent-encoding?): percent-encode the path and query as RFC 3986 says');

/**
 * Errors of the HTTP parser, before Fastify has a request (Node's own answer would be an empty
 * 400, Fastify's another shape): headers too large, a request too slow, bytes that are not HTTP.
 */
export const clientError = (error: Error & { code?: string }, socket: Socket): void => {
  // A connection reset leaves nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [code, message]: [ApiErrorCode, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? ['headers_too_large', 'the request line and headers are larger than 16 KB: shorten the query (fewer symbols, or `top` to choose them)']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['request_timeout', 'the request did not arrive in time: send it again']
        : ['bad_request', 'the request is not valid HTTP/1.1'];
  const body = errorJson(code, message);
  const status = statusOf(code);
  if (socket.writable) socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  socket.destroy(error);
};

export const installErrorHandler = (app: FastifyInstance, hooks: ErrorHooks): void => {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (error instanceof RateLimitedError) {
      hooks.rateLimited(req);
      return sendError(reply.header('retry-after', String(error.retryAfterSeconds)), 'rate_limited', error.message, { limit: error.limit, retryAfterSeconds: error.retryAfterSeconds });
    }
    if (isInvalidInputError(error)) return sendError(reply, 'bad_request', error.reason);
    if (error.validation !== undefined) {
      return sendError(reply, 'bad_request', `${frameworkMessage(error)}: GET /openapi.json describes what the route takes`, {
        in: error.validationContext,
        issues: error.validation.slice(0, 5).map((v) => ({ path: v.instancePath, message: clipText(v.message ?? '', MAX_FRAMEWORK_MESSAGE) })),
      });
    }
    if (isNotFoundError(error)) return sendError(reply, 'not_found', error.message);
    if (isUnavailableError(error)) return sendError(reply.header('retry-after', String(error.retryAfterSeconds)), 'unavailable', error.message);
    if (isCommandRejectedError(error) || isExpectedVersionConflictError(error)) return sendError(reply, 'conflict', error.message);
    if (isLakeTamperedError(error)) return sendError(reply, 'conflict', error.message, { reason: 'lake_tampered', file: error.file, digestPosition: error.digestPosition });
    const status = error.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      const advice = error.code === undefined ? undefined : ADVICE[error.code];
      return sendError(reply, codeOfStatus(status), advice === undefined ? frameworkMessage(error) : `${frameworkMessage(error)}: ${advice}`);
    }
    hooks.failed(req, error);
    return sendError(reply, 'internal', 'internal error: the server log has the cause under details.requestId; retrying may not help', { requestId: req.id });
  });
  app.setNotFoundHandler((req, reply) =>
    sendError(reply, 'not_found', `no route ${req.method} ${clipText(req.url)}: details.endpoints lists the routes, GET /openapi.json describes them`, {
      endpoints: routesOf(app).map(describeRoute),
    }),
  );
};
