/**
 * The bytes of a ledger event on the bus: its JSON, as recorded (position, leaf hash and all),
 * so a consumer can check what it got against the ledger. Decoding checks the envelope's shape
 * and says what is wrong, because a topic can hold messages other producers wrote.
 */
import type { RecordedEvent } from '../../domain/events/envelope.js';

export const encodeEvent = (event: RecordedEvent): string => JSON.stringify(event);

export type DecodedEvent = { readonly ok: true; readonly event: RecordedEvent } | { readonly ok: false; readonly reason: string };

const STRING_FIELDS = ['id', 'type', 'stream', 'leafHash'] as const;
const NUMBER_FIELDS = ['position', 'schemaVersion', 'streamVersion'] as const;

export const decodeEvent = (raw: string): DecodedEvent => {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    return { ok: false, reason: `not JSON: ${(e as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'not a JSON object' };
  const o = value as Record<string, unknown>;
  for (const f of STRING_FIELDS) if (typeof o[f] !== 'string') return { ok: false, reason: `field ${f}: expected a string` };
  for (const f of NUMBER_FIELDS) if (!Number.isInteger(o[f])) return { ok: false, reason: `field ${f}: expected an integer` };
  if (typeof o['meta'] !== 'object' || o['meta'] === null) return { ok: false, reason: 'field meta: expected an object' };
  if (!('data' in o)) return { ok: false, reason: 'field data: missing' };
  if (o['dedupKey'] !== null && typeof o['dedupKey'] !== 'string') return { ok: false, reason: 'field dedupKey: expected a string or null' };
  return { ok: true, event: value as RecordedEvent };
};
