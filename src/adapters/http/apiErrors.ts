/**
 * The one shape of every error the API answers, `{"error": <code>, "message": <sentence>,
 * "details"?: ...}`, and the stable codes: each names one HTTP status, so a client can branch on
 * the code alone. The message says what was wrong and what to do; `details` carries what a
 * program needs beside it (the role needed, the limit, the request id of a 500...). The list is
 * documented in docs/api.md; adding a code is adding a row here and there.
 */
import type { FastifyReply } from 'fastify';

export const API_ERRORS = {
  bad_request: { status: 400, meaning: 'the request is malformed or a value is out of range: the message names the field and what it accepts' },
  unauthorized: { status: 401, meaning: 'no API key, a malformed one, or one that is unknown or revoked' },
  forbidden: { status: 403, meaning: "the key's role is too small for this route: details.needed names the role" },
  not_found: { status: 404, meaning: 'no such route, or no such thing (symbol, alert, portfolio, key...)' },
  request_timeout: { status: 408, meaning: 'the request did not arrive in time: send it again' },
  conflict: { status: 409, meaning: 'the command is well formed but not allowed in the current state (or lost a race: retry)' },
  payload_too_large: { status: 413, meaning: 'the request body is larger than the server takes' },
  uri_too_long: { status: 414, meaning: 'a path parameter is longer than the server takes' },
  unsupported_media_type: { status: 415, meaning: 'the body is not of a content type the route reads (send application/json)' },
  upgrade_required: { status: 426, meaning: 'a WebSocket endpoint was asked over plain HTTP' },
  rate_limited: { status: 429, meaning: 'more requests in a second than the key may make: retry after Retry-After' },
  headers_too_large: { status: 431, meaning: 'the request line and headers are larger than the server takes (16 KB): shorten the query (fewer symbols, or `top`)' },
  internal: { status: 500, meaning: 'a fault of the server: details.requestId finds it in the server log' },
  unavailable: { status: 503, meaning: 'a server behind the platform is down right now: retry after Retry-After' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ApiErrorCode = keyof typeof API_ERRORS;
export const API_ERROR_CODES = Object.keys(API_ERRORS) as ApiErrorCode[];

export interface ApiErrorBody {
  readonly error: ApiErrorCode;
  readonly message: string;
  readonly details?: unknown;
}

export const statusOf = (code: ApiErrorCode): number => API_ERRORS[code].status;

/** The code of a status a framework error carries; a status without its own code is answered as a bad request. */
export const codeOfStatus = (status: number): ApiErrorCode =>
  API_ERROR_CODES.find((code) => API_ERRORS[code].status === status) ?? (status >= 500 ? 'internal' : 'bad_request');

/** The body of the error `code`, as JSON text. */
export const errorJson = (code: ApiErrorCode, message: string, details?: unknown): string =>
  JSON.stringify(details === undefined ? { error: code, message } : { error: code, message, details });

/** Sends the error `code` with its status. */
export const sendError = (reply: FastifyReply, code: ApiErrorCode, message: string, details?: unknown): FastifyReply =>
  reply.code(statusOf(code)).send(details === undefined ? { error: code, message } : { error: code, message, details });
