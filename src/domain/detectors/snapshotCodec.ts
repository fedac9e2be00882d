/**
 * The alert fold's snapshot as text: JSON, except that the numbers JSON cannot hold (NaN,
 * ±Infinity: statistics not known yet, thresholds not reached) and -0 are written as
 * `{"$num":"NaN"}` and read back as themselves, so a restored fold computes to the bit what the
 * saved one would have. Decoding never throws: text that is not a snapshot gives the reason.
 */
const NUM_TAG = '$num';
const SPECIAL: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY, '-0': -0 };

const tagOf = (n: number): string | undefined => {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return 'Infinity';
  if (n === Number.NEGATIVE_INFINITY) return '-Infinity';
  return Object.is(n, -0) ? '-0' : undefined;
};

/**
 * The value with its special numbers tagged. Only the arrays and objects on a path to a special
 * number are copied; the rest is returned as it is. Why not a JSON.stringify replacer: it calls
 * back into JavaScript for every value, which made a snapshot of a busy fold take a large share
 * of the event loop; this walk plus a plain stringify costs a fraction of that.
 */
const tagged = (v: unknown): unknown => {
  if (typeof v === 'number') {
    const tag = tagOf(v);
    return tag === undefined ? v : { [NUM_TAG]: tag };
  }
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const t = tagged(v[i]);
      if (out === undefined && !Object.is(t, v[i])) out = v.slice(0, i);
      out?.push(t);
    }
    return out ?? v;
  }
  const obj = v as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(obj)) {
    const t = tagged(obj[k]);
    if (out === undefined && !Object.is(t, obj[k])) out = { ...obj };
    if (out !== undefined) out[k] = t;
  }
  return out ?? v;
};

export const encodeSnapshot = (value: unknown): string => JSON.stringify(tagged(value));

export const decodeSnapshot = (text: string): { ok: true; value: unknown } | { ok: false; reason: string } => {
  try {
    const value: unknown = JSON.parse(text, (_key, v: unknown) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
      const keys = Object.keys(v);
      if (keys.length !== 1 || keys[0] !== NUM_TAG) return v;
      const tag = (v as Record<string, unknown>)[NUM_TAG];
      return typeof tag === 'string' && tag in SPECIAL ? SPECIAL[tag] : v;
    });
    return { ok: true, value };
  } catch (e) {
    return { ok: false, reason: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
};
