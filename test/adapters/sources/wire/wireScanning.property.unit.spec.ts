/**
 * The hand-written scans the wire decoders lean on, held to what they replace: the number-literal
 * scan to the numbers JSON.parse finds (in document order, strings with quotes and backslashes
 * stepped over), the decimal reading of a literal to the regex reading it had before, the
 * decimal check to its pattern, and the remembered second of the time parser to Date.parse.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDecimalString } from '../../../../src/domain/decimal.js';
import { parseIsoMillis } from '../../../../src/adapters/sources/wire/isoMillis.js';
import { decimalOfLiteral, numberLiterals } from '../../../../src/adapters/sources/wire/numberLiterals.js';

/** The numbers of a parsed JSON value in document order (arrays and objects without integer-like keys). */
const numbersOf = (u: unknown): number[] =>
  typeof u === 'number' ? [u] : typeof u === 'object' && u !== null ? (Array.isArray(u) ? u : Object.values(u)).flatMap(numbersOf) : [];
const json = fc.jsonValue({ maxDepth: 3 }).filter((v) => !JSON.stringify(v).match(/"\d+":/));

describe('numberLiterals', () => {
  it('finds exactly the numbers JSON.parse finds, in document order, as written', () => {
    fc.assert(fc.property(json, fc.string(), (value, junk) => {
      // Strings full of quotes, backslashes and digits beside the numbers.
      const text = JSON.stringify([junk, value, `${junk}\\"1`]);
      expect(numberLiterals(text).map(Number)).toEqual(numbersOf(JSON.parse(text)));
    }));
  });

  it('steps over `skip` literals and returns at most `max`', () => {
    fc.assert(fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 8 }), fc.nat(9), fc.nat(9), (xs, skip, max) => {
      const text = JSON.stringify(['"', ...xs]);
      expect(numberLiterals(text, skip, max)).toEqual(numberLiterals(text).slice(skip, skip + max));
    }));
  });
});

/** The reading decimalOfLiteral had before its fast path: one regex for every literal. */
const byRegex = (literal: string, value: number): string | undefined => {
  if (Number(literal) !== value) return undefined;
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (m === null) return undefined;
  const [, sign, int, frac = '', exp] = m as unknown as [string, string, string, string | undefined, string | undefined];
  let text: string;
  if (exp === undefined) text = frac === '' ? int : `${int}.${frac}`;
  else {
    const digits = int + frac;
    const point = int.length + Number(exp);
    const whole = point <= 0 ? '0' : digits.slice(0, point).padEnd(point, '0');
    const rest = (point <= 0 ? '0'.repeat(-point) + digits : digits.slice(point)).replace(/0+$/, '');
    text = `${whole.replace(/^0+(?=\d)/, '')}${rest === '' ? '' : `.${rest}`}`;
  }
  return /^(\d{1,30})(?:\.(\d{1,18}))?$/.test(text) ? `${sign}${text}` : undefined;
};
const digits = (min: number, max: number): fc.Arbitrary<string> => fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));
const literal = fc.tuple(fc.constantFrom('', '-'), digits(1, 33), fc.option(digits(1, 21)), fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 2))))
  .map(([sign, int, frac, exp]) => `${sign}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : exp.join('')}`);

describe('decimalOfLiteral', () => {
  it('reads every literal as the regex reading did, exponents, limits and all', () => {
    fc.assert(fc.property(literal, (l) => {
      expect(decimalOfLiteral(l, Number(l))).toBe(byRegex(l, Number(l)));
    }), { numRuns: 2_000 });
  });

  it('refuses a literal that does not denote the parsed value (a scan out of step)', () => {
    fc.assert(fc.property(literal, fc.double(), (l, other) => {
      fc.pre(Number(l) !== other);
      expect(decimalOfLiteral(l, other)).toBeUndefined();
    }));
  });
});

describe('isDecimalString', () => {
  it('is its pattern: 1-30 digits, optionally a point and 1-18 digits', () => {
    const near = fc.oneof(literal, fc.string(), digits(28, 33), digits(0, 32).chain((i) => digits(0, 20).map((f) => `${i}.${f}`)));
    fc.assert(fc.property(near, (s) => {
      expect(isDecimalString(s)).toBe(/^(\d{1,30})(?:\.(\d{1,18}))?$/.test(s));
    }), { numRuns: 2_000 });
  });
});

describe('parseIsoMillis', () => {
  it('gives Date.parse\'s millisecond for any sequence of UTC times, the same second repeated or not', () => {
    const time = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) });
    fc.assert(fc.property(fc.array(fc.tuple(time, fc.integer({ min: 0, max: 2_000 }), digits(0, 6)), { minLength: 1, maxLength: 20 }), (steps) => {
      let t = steps[0]![0];
      for (const [, dt, extra] of steps) {
        t += dt;
        const iso = new Date(t).toISOString().replace('Z', `${extra}Z`);
        expect(parseIsoMillis(iso)).toBe(t);
      }
    }));
  });

  it('still refuses an impossible date after a valid time of the same second layout', () => {
    expect(parseIsoMillis('2024-02-29T10:00:00.123Z')).toBe(Date.UTC(2024, 1, 29, 10, 0, 0, 123));
    expect(parseIsoMillis('2023-02-29T10:00:00.123Z')).toBeUndefined();
    expect(parseIsoMillis('2024-02-29T10:00:00.1x3Z')).toBeUndefined();
    expect(parseIsoMillis('2024-02-29T10:00:00.123456Q')).toBeUndefined();
  });
});
