/** canonicalJson's one-call path for arrays of numbers writes the bytes its element-by-element path writes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/domain/events/canonical.js';

describe('canonical JSON of number arrays', () => {
  it('equals the elements written one by one (finite numbers as String writes them, the rest as null)', () => {
    const cell = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(null, -0, Number.NaN, Infinity, -Infinity, 1e21, 5e-324));
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 50 }), (cells) => {
        expect(canonicalJson(cells)).toBe(`[${cells.map((c) => canonicalJson(c)).join(',')}]`);
      }),
    );
  });
});
