/**
 * Fast decimal text for generated prices and quantities. Number#toFixed is exact but slow
 * (~180 ns); scaling to an integer and printing its parts is ~3× faster, which matters at
 * half a million trades per second. Output is always plain decimal: no exponent, no sign.
 */

const ZEROS = Array.from({ length: 19 }, (_, i) => '0'.repeat(i));
const SMI_MAX = 2 ** 31 - 1;

/**
 * `x` (> 0) rounded to `decimals` places (`scale` = 10^decimals), never below one unit of the
 * last place: a generated price or quantity must stay positive.
 */
export const formatPositive = (x: number, decimals: number, scale: number): string => {
  let v = Math.round(x * scale);
  if (v < 1) v = 1;
  if (decimals === 0) return '' + v;
  if (v > SMI_MAX) {
    // Rare (huge quantities of tiny-priced tokens): exact and still exponent-free below 1e21.
    return (v / scale).toFixed(decimals);
  }
  const whole = (v / scale) | 0;
  const frac = '' + (v - whole * scale);
  return whole + '.' + ZEROS[decimals - frac.length]! + frac;
};

/** A non-negative safe integer as text, printed in two small parts (faster than one big double). */
export const formatId = (id: number): string => {
  const hi = Math.floor(id / 1e6);
  if (hi === 0) return '' + id;
  const lo = '' + (id - hi * 1e6);
  return hi + ZEROS[6 - lo.length]! + lo;
};
