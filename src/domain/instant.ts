/**
 * Instants as people and programs write them in a query: epoch milliseconds, or an ISO-8601
 * date (midnight UTC) or date-time with its zone. The grammar is strict on purpose: the
 * platform's date parser is lenient (it reads "-1" as the year 2001, and a date-time without a
 * zone in the server's local time), and a query must mean the same thing on every server.
 */
import { InvalidInputError } from './errors.js';
import { MAX_EVENT_TIME } from './time.js';
import { describeValue, type Validated } from './validation.js';

/** The instants a query may name: the Unix epoch (a common "from the start") up to the end of event times. */
export const MIN_QUERY_TIME = 0;
export const MAX_QUERY_TIME = MAX_EVENT_TIME;

const EPOCH_MS = /^\d{1,16}$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

const rangeText = (): string => `${new Date(MIN_QUERY_TIME).toISOString()} (${MIN_QUERY_TIME}) to ${new Date(MAX_QUERY_TIME).toISOString()} (${MAX_QUERY_TIME})`;

/** Reads one instant; the reason names the field, the accepted forms and the valid range. */
export const readInstant = (raw: string, name: string): Validated<number> => {
  const t = EPOCH_MS.test(raw) ? Number(raw) : ISO_8601.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(t)) {
    return { ok: false, reason: `${name}: expected epoch milliseconds or an ISO-8601 instant with its zone (2024-01-01T12:00:00Z) from ${rangeText()}, got ${describeValue(raw)}` };
  }
  if (t < MIN_QUERY_TIME || t > MAX_QUERY_TIME) return { ok: false, reason: `${name}: ${describeValue(raw)} is outside the valid range ${rangeText()}` };
  return { ok: true, value: t };
};

/** An instant of a request body (a string or epoch milliseconds); throws InvalidInputError with readInstant's reason. */
export const requireInstant = (raw: string | number, name: string): number => {
  const v = readInstant(String(raw), name);
  if (!v.ok) throw new InvalidInputError(v.reason);
  return v.value;
};
