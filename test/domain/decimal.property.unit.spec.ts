import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedToNumber, formatFixed, parseFixed, parseFixedByPattern } from '../../src/domain/decimal.js';
import { decimalString } from '../support/arbitraries.js';

describe('fixed-point decimals', () => {
  it('parse then format gives the canonical form of the same number', () => {
    fc.assert(
      fc.property(decimalString({ maxFrac: 18 }), (s) => {
        const v = parseFixed(s)!;
        expect(Number(formatFixed(v))).toBe(Number(s));
        expect(parseFixed(formatFixed(v))).toBe(v);
      }),
    );
  });

  it('sums are exact: adding in any order gives the same total', () => {
    fc.assert(
      fc.property(fc.array(decimalString(), { minLength: 1, maxLength: 50 }), (xs) => {
        const forward = xs.reduce((a, s) => a + parseFixed(s)!, 0n);
        const backward = [...xs].reverse().reduce((a, s) => a + parseFixed(s)!, 0n);
        expect(forward).toBe(backward);
      }),
    );
  });

  it('the short path accepts, refuses and values every text exactly as the pattern does', () => {
    // Texts near the short path's 15-character edge, decimals of every shape, and junk made of the same characters.
    const nearDecimal = fc.string({ unit: fc.constantFrom(...'0123456789.-+e '), minLength: 0, maxLength: 20 });
    const wideDecimal = fc.tuple(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 31 }), fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: 19 }))
      .map(([i, f]) => (f === '' ? i : `${i}.${f}`));
    fc.assert(
      fc.property(fc.oneof(decimalString({ maxInt: 999_999_999_999_999, maxFrac: 18 }), nearDecimal, wideDecimal, fc.string()), (s) => {
        expect(parseFixed(s)).toBe(parseFixedByPattern(s));
      }),
      { numRuns: 5_000 },
    );
    for (const edge of ['999999999999999', '99999999.9999999', '0.00000000000001', '000000000000000', '9007199254740993']) {
      expect(parseFixed(edge)).toBe(parseFixedByPattern(edge));
    }
  });

  it('rejects signs, exponents, blanks and junk without throwing', () => {
    for (const bad of ['', '-1', '+1', '1e5', '1.', '.5', '1,5', ' 1', 'NaN', '1.2.3', '0x10']) {
      expect(parseFixed(bad)).toBeUndefined();
    }
  });

  it('converts to the nearest double', () => {
    expect(fixedToNumber(parseFixed('0.1')!)).toBe(0.1);
    expect(fixedToNumber(parseFixed('23456.78901234')!)).toBe(23456.78901234);
  });
});
