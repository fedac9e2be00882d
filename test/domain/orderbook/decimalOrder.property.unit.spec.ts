import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFixed } from '../../../src/domain/decimal.js';
import { compareDecimals, isZeroDecimal } from '../../../src/domain/orderbook/decimalOrder.js';
import { decimalString } from '../../support/arbitraries.js';

/** The same number written with extra leading and trailing zeros. */
const padded = (s: string, lead: number, trail: number): string => {
  const [i, f] = s.split('.');
  const frac = (f ?? '') + '0'.repeat(trail);
  return '0'.repeat(lead) + i + (frac === '' ? '' : '.' + frac);
};

describe('exact decimal order', () => {
  it('orders decimals as their exact values do', () => {
    fc.assert(fc.property(decimalString({ maxFrac: 18 }), decimalString({ maxFrac: 18 }), (a, b) => {
      const x = parseFixed(a)!;
      const y = parseFixed(b)!;
      expect(compareDecimals(a, b)).toBe(x < y ? -1 : x > y ? 1 : 0);
    }));
  });

  it('treats leading and trailing zeros as the same number', () => {
    fc.assert(fc.property(decimalString({ maxFrac: 10 }), fc.nat(3), fc.nat(3), (a, lead, trail) => {
      expect(compareDecimals(a, padded(a, lead, trail))).toBe(0);
      expect(compareDecimals(padded(a, lead, trail), a)).toBe(0);
    }));
  });

  it('tells apart decimals that are one double', () => {
    expect(Number('0.30000000000000001')).toBe(Number('0.3'));
    expect(compareDecimals('0.30000000000000001', '0.3')).toBe(1);
    expect(compareDecimals('0.3', '0.30000000000000001')).toBe(-1);
  });

  it('zero is any run of zeros, with or without a point', () => {
    fc.assert(fc.property(decimalString({ maxFrac: 18 }), (a) => {
      expect(isZeroDecimal(a)).toBe(parseFixed(a) === 0n);
    }));
  });
});
