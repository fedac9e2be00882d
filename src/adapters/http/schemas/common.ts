/**
 * JSON-schema fragments the routes share: the error body and the error answers every route may
 * give, path and query values (symbol, interval, time range, ledger position), and the shapes of
 * numbers and instants in answers. A route's schema is its validation, its serialisation check
 * (responseCheck.ts) and its part of the OpenAPI document (GET /openapi.json), so each fragment
 * says what is true of every answer that uses it.
 */
import type { RouteOptions } from 'fastify';
import { API_ERROR_CODES, API_ERRORS, type ApiErrorCode } from '../apiErrors.js';

export type Schema = Record<string, unknown>;

/** A JSON-schema string of at most `maxLength` characters (request values). */
export const text = (maxLength: number): { type: 'string'; maxLength: number } => ({ type: 'string', maxLength });

/** The longest text any query value needs (an ISO-8601 instant with nanoseconds and an offset is 35). */
export const QUERY_TEXT = text(64);

/** The longest symbol: BASE-QUOTE of up to 20 characters each. */
export const SYMBOL_TEXT = text(41);

export const symbolParams = { type: 'object', properties: { symbol: { ...SYMBOL_TEXT, examples: ['BTC-USDT'] } }, required: ['symbol'] } as const;
/** A comma-separated list of symbols in a query, of at most `maxLength` characters. */
export const symbolList = (maxLength: number): Schema => ({ ...text(maxLength), examples: ['BTC-USDT,ETH-USDT'] });
/** An `:id` of at most `maxLength` characters (100: the router's own limit, above which it answers 414). */
export const idParams = (maxLength = 64): Schema => ({ type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength } }, required: ['id'] });
/** `from` and `to`: epoch ms or ISO-8601 (params.ts parseInstant). */
export const timeRangeQuery = { from: QUERY_TEXT, to: QUERY_TEXT } as const;

// ---- answers ----

export const string = { type: 'string' } as const;
export const boolean = { type: 'boolean' } as const;
export const integer = { type: 'integer' } as const;
export const number = { type: 'number' } as const;
export const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
/** A figure that is null where it cannot be computed (too few returns, a zero variance...). */
export const figure = nullable(number);
/** A ledger position: events counted from 1 (0: none yet). */
export const position = { type: 'integer', minimum: 0 } as const;
/** Epoch milliseconds. */
export const epochMs = { type: 'integer' } as const;
/** An instant as ISO-8601, or null where the epoch value is out of Date's range. */
export const isoInstant = nullable({ type: 'string' });
export const symbol = { type: 'string', pattern: '^[A-Z0-9]{1,20}-[A-Z0-9]{1,20}$' } as const;
export const interval = { type: 'string', enum: ['1m', '5m', '1h', '1d'] } as const;
export const severity = { type: 'string', enum: ['info', 'warning', 'critical'] } as const;

export const object = (properties: Record<string, unknown>, required: readonly string[] = Object.keys(properties), extra: Schema = {}): Schema => ({
  type: 'object',
  properties,
  required: [...required],
  ...extra,
});
export const arrayOf = (items: Schema): Schema => ({ type: 'array', items });
/** An object keyed by something dynamic (a symbol, a job state...). */
export const mapOf = (values: Schema): Schema => ({ type: 'object', additionalProperties: values });

/** The command answer that records one event at `position`. */
export const recorded = (fields: Record<string, unknown> = {}): Schema => object({ ...fields, position });

// ---- errors ----

export const errorBody = {
  type: 'object',
  description: 'Every error of the API: a stable code (docs/api.md), a sentence saying what was wrong and what to do, and details for programs.',
  properties: {
    error: { type: 'string', enum: API_ERROR_CODES },
    message: { type: 'string' },
    details: {},
  },
  required: ['error', 'message'],
  additionalProperties: false,
} as const;

const errorAnswer = (code: ApiErrorCode): Schema => ({ ...errorBody, description: `${code}: ${API_ERRORS[code].meaning}` });

/** What any route may answer: a malformed URL, a key or role refused, the rate limit, a fault, a server down. */
const ANY_ROUTE: readonly ApiErrorCode[] = ['bad_request', 'unauthorized', 'forbidden', 'request_timeout', 'rate_limited', 'headers_too_large', 'internal', 'unavailable'];
/** What a route with a path parameter may answer besides: the router refuses a parameter over its length. */
const WITH_PARAMS: readonly ApiErrorCode[] = ['uri_too_long'];
/** What a route that reads a JSON body may answer besides. */
const WITH_BODY: readonly ApiErrorCode[] = ['payload_too_large', 'unsupported_media_type'];

/**
 * A route's `response` schema: its answers (status → schema) and the error answers it may give,
 * `extra` beside those of every route (`not_found` where it names a thing, `conflict` for
 * commands; `body` adds those of a JSON body).
 */
export const responses = (answers: Record<number, Schema>, extra: readonly ApiErrorCode[] = [], opts: { body?: boolean } = {}): Record<number, Schema> => {
  const errors = [...ANY_ROUTE, ...extra, ...(opts.body === true ? WITH_BODY : [])];
  return { ...Object.fromEntries(errors.map((code) => [API_ERRORS[code].status, errorAnswer(code)])), ...answers };
};

/** An onRoute hook: a route with a path parameter may also be refused by the router (414), which no route declares itself. */
export const addRouterAnswers = (route: RouteOptions): void => {
  const response = route.schema?.response as Record<number, Schema> | undefined;
  if (response === undefined || !route.url.includes(':')) return;
  for (const code of WITH_PARAMS) response[API_ERRORS[code].status] ??= errorAnswer(code);
};
