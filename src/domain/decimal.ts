/**
 * Exact decimal arithmetic for prices and quantities.
 *
 * Exchanges send prices and quantities as decimal strings; the events keep those strings
 * unchanged. Folds that must add quantities exactly (volumes, so that any order of the
 * same trades gives the same candle) parse them into fixed-point bigints with
 * DECIMAL_SCALE fractional digits.
 */

export const DECIMAL_SCALE = 18;
const SCALE_FACTOR = 10n ** BigInt(DECIMAL_SCALE);

/** A non-negative plain decimal: digits, optionally a point and more digits. No sign, no exponent. */
const DECIMAL_PATTERN = /^(\d{1,30})(?:\.(\d{1,18}))?$/;

/** DECIMAL_PATTERN's test, by hand: every wire decoder asks it of each price and quantity. */
export const isDecimalString = (s: string): boolean => {
  const n = s.length;
  let i = 0;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  if (i < 1 || i > 30) return false;
  if (i === n) return true;
  if (s.charCodeAt(i) !== 46 /* . */) return false;
  const point = i;
  for (i++; i < n && isDigit(s.charCodeAt(i)); ) i++;
  return i === n && i - point - 1 >= 1 && i - point - 1 <= 18;
};
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * parseFixed's general path, by DECIMAL_PATTERN: any length it allows (30 integer digits, 18
 * fractional), through a decimal string of the scaled value.
 */
export const parseFixedByPattern = (s: string): bigint | undefined => {
  const m = DECIMAL_PATTERN.exec(s);
  if (m === null) return undefined;
  const frac = m[2] ?? '';
  return BigInt(m[1]! + frac.padEnd(DECIMAL_SCALE, '0'));
};

/** 10^k for k = 0 … DECIMAL_SCALE. */
const POWERS_OF_TEN = Array.from({ length: DECIMAL_SCALE + 1 }, (_, k) => 10n ** BigInt(k));

/** Longest text the short path takes: 15 digits are below 2^53, so their value is exact in a double. */
const SHORT_DECIMAL = 15;

/**
 * Parses a decimal string into a fixed-point bigint (value × 10^18). Returns undefined when malformed.
 * Every live and batch fold parses each trade's price and quantity, so a text of at most 15
 * characters (every exchange's prices and quantities) is read digit by digit into a double, exact
 * below 2^53, and scaled by one multiplication: no match array, no padded string, no parse of a
 * 30-digit text. Longer texts take the pattern's path; both accept and refuse the same texts.
 */
export const parseFixed = (s: string): bigint | undefined => {
  const n = s.length;
  if (n > SHORT_DECIMAL) return parseFixedByPattern(s);
  let value = 0;
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) break;
    value = value * 10 + (c - 48);
  }
  if (i === 0) return undefined;
  if (i === n) return BigInt(value) * SCALE_FACTOR;
  if (s.charCodeAt(i) !== 46 /* . */) return undefined;
  const point = i;
  for (i++; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return undefined;
    value = value * 10 + (c - 48);
  }
  const fractional = n - point - 1;
  if (fractional < 1) return undefined;
  return BigInt(value) * POWERS_OF_TEN[DECIMAL_SCALE - fractional]!;
};

/** Fixed-point product of two fixed-point values, kept at double scale (exact). */
export const mulFixed = (a: bigint, b: bigint): bigint => a * b;

/** Renders a fixed-point bigint with `scale` fractional digits as a canonical decimal string. */
export const formatFixed = (v: bigint, scale: number = DECIMAL_SCALE): string => {
  const negative = v < 0n;
  const digits = (negative ? -v : v).toString().padStart(scale + 1, '0');
  const intPart = digits.slice(0, digits.length - scale);
  const fracPart = digits.slice(digits.length - scale).replace(/0+$/, '');
  return (negative ? '-' : '') + intPart + (fracPart === '' ? '' : '.' + fracPart);
};

/** Nearest double to a fixed-point value (via its exact decimal string, so rounding is correct). */
export const fixedToNumber = (v: bigint, scale: number = DECIMAL_SCALE): number =>
  Number(formatFixed(v, scale));

export const QUOTE_SCALE = DECIMAL_SCALE * 2;
export const ONE_FIXED = SCALE_FACTOR;
