/**
 * Prices and quantities that an exchange sends as JSON numbers (Kraken v2, Bitfinex), kept exactly
 * as written. JSON.parse turns `0.1` into the nearest double, which is not the exchange's decimal;
 * so the decoders also read the number literals of the text in document order (a scan that skips
 * strings, far cheaper than a second parser) and take each price or quantity from its literal. A
 * literal is used only when it denotes the very number JSON.parse produced at that place, so a
 * scan that went out of step is caught, never trusted.
 */
import { isDecimalString } from '../../../domain/decimal.js';

/**
 * The number literals of a JSON text, in document order, as written: all of them, or `max` after
 * the first `skip` (which are stepped over without being copied out).
 */
export const numberLiterals = (text: string, skip = 0, max = Number.POSITIVE_INFINITY): string[] => {
  const out: string[] = [];
  const n = text.length;
  let seen = 0;
  for (let i = 0; i < n && out.length < max; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // A string: jump to its closing quote (native search), past any escaped quote.
      let end = text.indexOf('"', i + 1);
      while (end > 0 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
      if (end < 0) break;
      i = end;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (!((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45)) break;
      }
      if (seen++ >= skip) out.push(text.slice(start, i));
      i--;
    }
  }
  return out;
};

/** Whether the quote at `at` is escaped: an odd number of backslashes before it. */
const isEscaped = (text: string, at: number): boolean => {
  let k = at - 1;
  while (text.charCodeAt(k) === 92 /* \ */) k--;
  return (at - 1 - k) % 2 === 1;
};

/** How many numbers a parsed JSON value holds (to step over a part the decoder does not read). */
export const countNumbers = (u: unknown): number => {
  if (typeof u === 'number') return 1;
  if (typeof u !== 'object' || u === null) return 0;
  let n = 0;
  for (const v of Array.isArray(u) ? u : Object.values(u)) n += countNumbers(v);
  return n;
};

const LITERAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * A number literal as a plain decimal string, with a leading `-` when negative (`-0.005` stays
 * `-0.005`); an exponent is applied by moving the point (`1e-8` → `0.00000001`), never through a
 * double. Undefined when the literal is not a number, is beyond the canonical decimal's digits,
 * or does not denote `value`.
 */
export const decimalOfLiteral = (literal: string | undefined, value: unknown): string | undefined => {
  if (literal === undefined || typeof value !== 'number') return undefined;
  const negative = literal.charCodeAt(0) === 45; /* - */
  // The common form, [-]digits[.digits], is already the decimal string: read without a regex.
  const plain = plainDecimal(literal, negative ? 1 : 0, value);
  if (plain !== NOT_PLAIN) return plain ? literal : undefined;
  if (Number(literal) !== value) return undefined;
  const m = LITERAL.exec(literal);
  if (m === null) return undefined;
  const [, , int, frac = '', exp] = m as unknown as [string, string, string, string | undefined, string | undefined];
  let text: string;
  if (exp === undefined) text = frac === '' ? int : `${int}.${frac}`;
  else {
    const digits = int + frac;
    const point = int.length + Number(exp);
    const whole = point <= 0 ? '0' : digits.slice(0, point).padEnd(point, '0');
    const rest = point <= 0 ? '0'.repeat(-point) + digits : digits.slice(point);
    text = `${whole.replace(/^0+(?=\d)/, '')}${rest.replace(/0+$/, '') === '' ? '' : `.${rest.replace(/0+$/, '')}`}`;
  }
  if (!isDecimalString(text)) return undefined;
  return negative ? `-${text}` : text;
};

/** Whether a signed decimal from decimalOfLiteral is negative. */
export const isNegativeDecimal = (d: string): boolean => d.charCodeAt(0) === 45; /* - */

const NOT_PLAIN = 2;
/** Exact powers of ten as doubles (all up to 1e22 are), by multiplication, each step exact. */
const POW10 = Array.from({ length: 19 }, (_, k) => k).reduce<number[]>((p, k) => [...p, k === 0 ? 1 : p[k - 1]! * 10], []);

/**
 * From `from`: digits, then optionally a point and digits, to the end. NOT_PLAIN when the literal
 * has another form (an exponent) and needs the full reading; else whether it is within the
 * canonical decimal's limits (isDecimalString: 1-30 integer digits, 1-18 fraction digits) and
 * denotes `value`. With at most 15 digits the digits make an integer below 2^53, exact, and one
 * division by an exact power of ten rounds correctly, as JSON.parse does, so the two are equal
 * exactly when the literal denotes `value`; longer literals are converted.
 */
const plainDecimal = (s: string, from: number, value: number): boolean | typeof NOT_PLAIN => {
  const n = s.length;
  let i = from;
  let mantissa = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    mantissa = mantissa * 10 + (c - 48);
  }
  const intDigits = i - from;
  let fracDigits = 0;
  if (i < n) {
    if (s.charCodeAt(i) !== 46 /* . */) return NOT_PLAIN;
    for (i++; i < n; i++, fracDigits++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return NOT_PLAIN;
      mantissa = mantissa * 10 + (c - 48);
    }
    if (fracDigits < 1 || fracDigits > 18) return false;
  }
  if (intDigits < 1 || intDigits > 30) return false;
  if (intDigits + fracDigits > 15) return Number(s) === value;
  return (from === 1 ? -mantissa : mantissa) / POW10[fracDigits]! === value;
};
