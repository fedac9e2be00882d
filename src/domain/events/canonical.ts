/**
 * Canonical bytes of an event, the input of the hash chain: JSON with object keys sorted,
 * no insignificant white space, so that the same event always hashes the same on every
 * adapter and language.
 */
import type { RecordedEvent } from './envelope.js';

export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return '[' + value.map((v) => canonicalJson(v === undefined ? null : v)).join(',') + ']';
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (i > 0) out += ',';
    out += JSON.stringify(k) + ':' + canonicalJson(obj[k]);
  }
  return out + '}';
};

/** Everything the hash covers: the whole event except its own hash and prevHash. */
export const canonicalEventBytes = (e: Omit<RecordedEvent, 'hash' | 'prevHash'>): string =>
  canonicalJson({
    position: e.position,
    id: e.id,
    type: e.type,
    schemaVersion: e.schemaVersion,
    stream: e.stream,
    streamVersion: e.streamVersion,
    data: e.data,
    meta: e.meta,
    dedupKey: e.dedupKey,
  });
