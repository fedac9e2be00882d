/**
 * Exact order of decimal strings, without parsing them into numbers: "0.10" and "0.1" are the same
 * price, and 0.30000000000000001 is above 0.3 even where both are the same double.
 */

/** Index of the first char that is not a leading zero of the integer part ("007.5" → 2, "0.5" → 0). */
const intStart = (s: string, intEnd: number): number => {
  let i = 0;
  while (i < intEnd - 1 && s.charCodeAt(i) === 48) i++;
  return i;
};

const pointOf = (s: string): number => {
  const p = s.indexOf('.');
  return p < 0 ? s.length : p;
};

/** -1, 0 or 1 as decimal `a` is below, equal to or above decimal `b` (both plain decimals, no sign). */
export const compareDecimals = (a: string, b: string): number => {
  const pa = pointOf(a);
  const pb = pointOf(b);
  const sa = intStart(a, pa);
  const sb = intStart(b, pb);
  const la = pa - sa;
  const lb = pb - sb;
  if (la !== lb) return la < lb ? -1 : 1;
  for (let i = 0; i < la; i++) {
    const d = a.charCodeAt(sa + i) - b.charCodeAt(sb + i);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  // Same integer part: the fractional digits, the shorter one padded with zeros.
  const fa = a.length - pa - 1;
  const fb = b.length - pb - 1;
  const n = Math.max(fa, fb);
  for (let i = 1; i <= n; i++) {
    const da = i <= fa ? a.charCodeAt(pa + i) : 48;
    const db = i <= fb ? b.charCodeAt(pb + i) : 48;
    if (da !== db) return da < db ? -1 : 1;
  }
  return 0;
};

/** Whether a decimal string is zero ("0", "0.000"): a level with that quantity is removed. */
export const isZeroDecimal = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 48 && c !== 46) return false;
  }
  return true;
};
