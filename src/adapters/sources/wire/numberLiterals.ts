/**
 * Prices and quantities that an exchange sends as JSON numbers (Kraken v2, Bitfinex), kept exactly
 * as written. JSON.parse turns `0.1` into the nearest double, which is not the exchange's decimal;
 * so the decoders also read the number literals of the text in document order (a scan that skips
 * strings, far cheaper than a second parser) and take each price or quantity from its literal. A
 * literal is used only when it denotes the very number JSON.parse produced at that place, so a
 * scan that went out of step is caught, never trusted.
 */
import { isDecimalString } from '../../../domain/decimal.js';

/** Every number literal of a JSON text, in document order, as written. */
export const numberLiterals = (text: string): string[] => {
  const out: string[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34) break;
      }
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (!((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45)) break;
      }
      out.push(text.slice(start, i));
      i--;
    }
  }
  return out;
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
 * A number literal as a plain decimal string and its sign: `-0.005` → `0.005`, negative; an
 * exponent is applied by moving the point (`1e-8` → `0.00000001`), never through a double.
 * Undefined when the literal is not a number or does not denote `value`.
 */
export const decimalOfLiteral = (literal: string | undefined, value: unknown): { readonly text: string; readonly negative: boolean } | undefined => {
  if (literal === undefined || typeof value !== 'number' || Number(literal) !== value) return undefined;
  const m = LITERAL.exec(literal);
  if (m === null) return undefined;
  const [, sign, int, frac = '', exp] = m as unknown as [string, string, string, string | undefined, string | undefined];
  let text: string;
  if (exp === undefined) text = frac === '' ? int : `${int}.${frac}`;
  else {
    const digits = int + frac;
    const point = int.length + Number(exp);
    const whole = point <= 0 ? '0' : digits.slice(0, point).padEnd(point, '0');
    const rest = point <= 0 ? '0'.repeat(-point) + digits : digits.slice(point);
    text = `${whole.replace(/^0+(?=\d)/, '')}${rest.replace(/0+$/, '') === '' ? '' : `.${rest.replace(/0+$/, '')}`}`;
  }
  return isDecimalString(text) ? { text, negative: sign === '-' } : undefined;
};
