/**
 * Canonical bytes of an event, the input of its leaf hash in the ledger's tree: JSON with object keys sorted,
 * no insignificant white space, so that the same event always hashes the same on every
 * adapter and language.
 */
import type { RecordedEvent } from './envelope.js';

export const canonicalJson = (value: unknown): string => {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return 'null';
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return out + ']';
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += (first ? '' : ',') + JSON.stringify(k) + ':' + canonicalJson(v);
    first = false;
  }
  return out + '}';
};

/** Everything the leaf hash covers: the whole event except the leaf hash itself. */
export const canonicalEventBytes = (e: Omit<RecordedEvent, 'leafHash'>): string =>
  canonicalEventBytesOf(e, canonicalJson(e.data), canonicalJson(e.meta));

/**
 * The same bytes from data and meta already in canonical JSON, so a writer that stores those
 * strings serialises each event once. Keys in sorted order, as canonicalJson would put them.
 */
export const canonicalEventBytesOf = (
  e: Omit<RecordedEvent, 'leafHash' | 'data' | 'meta'>,
  canonicalData: string,
  canonicalMeta: string,
): string =>
  '{"data":' + canonicalData +
  ',"dedupKey":' + (e.dedupKey === null ? 'null' : JSON.stringify(e.dedupKey)) +
  ',"id":' + JSON.stringify(e.id) +
  ',"meta":' + canonicalMeta +
  ',"position":' + String(e.position) +
  ',"schemaVersion":' + String(e.schemaVersion) +
  ',"stream":' + JSON.stringify(e.stream) +
  ',"streamVersion":' + String(e.streamVersion) +
  ',"type":' + JSON.stringify(e.type) + '}';
