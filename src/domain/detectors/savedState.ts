/**
 * Reading the detectors' saved state back. A snapshot comes from a store, so it is untrusted:
 * every field is checked where it is read, and the first thing wrong stops the restore with a
 * reason that names its path ("rules[2].detector.series[0][1].window: expected an array").
 * The readers throw SavedStateError; restoreAlertFold turns it into a result, so a caller never
 * sees a throw.
 */
import type { DetectorTrade } from './detector.js';

export class SavedStateError extends Error {
  readonly kind = 'SavedState' as const;
  constructor(
    readonly path: string,
    readonly expected: string,
    got: unknown,
  ) {
    super(`${path}: expected ${expected}, got ${describe(got)}`);
  }
}
export const isSavedStateError = (e: unknown): e is SavedStateError => e instanceof SavedStateError;

/** A fold restored from a snapshot, or why it could not be (another version's state, or none at all). */
export type Restored<F> = { readonly ok: true; readonly fold: F } | { readonly ok: false; readonly reason: string };

/** Loads `snapshot` into a fresh `fold` with its `load`; never throws: a state it cannot read gives the reason. */
export const restoreFold = <F>(fold: F, load: (snapshot: unknown) => void, snapshot: unknown): Restored<F> => {
  try {
    load(snapshot);
    return { ok: true, fold };
  } catch (e) {
    if (isSavedStateError(e)) return { ok: false, reason: `snapshot ${e.message}` };
    return { ok: false, reason: `snapshot unreadable: ${e instanceof Error ? e.message : String(e)}` };
  }
};

const describe = (u: unknown): string => {
  if (u === undefined) return 'nothing';
  if (typeof u === 'number') return String(u);
  const s = JSON.stringify(u) ?? String(u);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
};

export const readObject = (u: unknown, path: string): Readonly<Record<string, unknown>> => {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) throw new SavedStateError(path, 'an object', u);
  return u as Record<string, unknown>;
};

export const readArray = (u: unknown, path: string): readonly unknown[] => {
  if (!Array.isArray(u)) throw new SavedStateError(path, 'an array', u);
  return u;
};

/** Any number, NaN and ±Infinity included (statistics not yet known are NaN, thresholds ∞). */
export const readNumber = (u: unknown, path: string): number => {
  if (typeof u !== 'number') throw new SavedStateError(path, 'a number', u);
  return u;
};

export const readFinite = (u: unknown, path: string): number => {
  if (typeof u !== 'number' || !Number.isFinite(u)) throw new SavedStateError(path, 'a finite number', u);
  return u;
};

export const readCount = (u: unknown, path: string): number => {
  if (typeof u !== 'number' || !Number.isSafeInteger(u) || u < 0) throw new SavedStateError(path, 'a non-negative integer', u);
  return u;
};

export const readString = (u: unknown, path: string): string => {
  if (typeof u !== 'string') throw new SavedStateError(path, 'a string', u);
  return u;
};

/** A Map saved as its [key, value] entries, so that its iteration order (which orders outputs) survives. */
export const saveMap = <V>(m: ReadonlyMap<string, V>, save: (v: V) => unknown): unknown[] => [...m].map(([k, v]) => [k, save(v)]);

export const readMap = <V>(u: unknown, path: string, read: (v: unknown, path: string) => V): Map<string, V> => {
  const out = new Map<string, V>();
  readArray(u, path).forEach((entry, i) => {
    const p = `${path}[${i}]`;
    const pair = readArray(entry, p);
    if (pair.length !== 2) throw new SavedStateError(p, 'a [key, value] pair', entry);
    const key = readString(pair[0], `${p}[0]`);
    if (out.has(key)) throw new SavedStateError(`${p}[0]`, 'a key not already saved', key);
    out.set(key, read(pair[1], `${p}[1]`));
  });
  return out;
};

/** A trade as a tuple: trades make up most of a snapshot, so their field names are not repeated. The side is last, null when unknown. */
export const saveTrade = (t: DetectorTrade): unknown[] => [t.position, t.eventId, t.exchange, t.symbol, t.tradeId, t.price, t.quantity, t.eventTime, t.side ?? null];

export const readTrade = (u: unknown, path: string): DetectorTrade => {
  const a = readArray(u, path);
  if (a.length !== 9) throw new SavedStateError(path, 'a trade [position, eventId, exchange, symbol, tradeId, price, quantity, eventTime, side]', u);
  if (a[8] !== null && a[8] !== 'buy' && a[8] !== 'sell') throw new SavedStateError(`${path}.side`, '"buy", "sell" or null', a[8]);
  return {
    position: readCount(a[0], `${path}.position`),
    eventId: readString(a[1], `${path}.eventId`),
    exchange: readString(a[2], `${path}.exchange`),
    symbol: readString(a[3], `${path}.symbol`),
    tradeId: readString(a[4], `${path}.tradeId`),
    price: readFinite(a[5], `${path}.price`),
    quantity: readFinite(a[6], `${path}.quantity`),
    eventTime: readFinite(a[7], `${path}.eventTime`),
    ...(a[8] === null ? {} : { side: a[8] }),
  };
};
