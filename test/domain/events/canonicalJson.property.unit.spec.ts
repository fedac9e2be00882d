/**
 * canonicalJson against its definition (keys sorted by UTF-16 code units, no white space,
 * non-finite numbers as null, undefined members left out), written out plainly here: its fast
 * path for flat objects must give exactly the same text, including for keys the engine orders
 * first (integer-like ones), values JSON.stringify would treat differently, and shapes that
 * repeat (its sorted-key memo).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/domain/events/canonical.js';

const definition = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'boolean') return String(v);
  if (v === null || typeof v !== 'object') return 'null';
  if (Array.isArray(v)) return `[${v.map(definition).join(',')}]`;
  const o = v as Record<string, unknown>;
  const members = Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${definition(o[k])}`);
  return `{${members.join(',')}}`;
};

const key = fc.oneof(fc.string(), fc.constantFrom('0', '1', '10', '9', 'a', 'b', 'price', 'tradeId', 'toJSON'));
const primitive = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.constantFrom(Infinity, NaN, -0));
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, primitive, fc.array(tie('v')), fc.dictionary(key, tie('v')), fc.dictionary(key, primitive)),
})).v;

describe('canonicalJson', () => {
  it('property: equals the definition for any value, flat objects included', () => {
    fc.assert(fc.property(value, (v) => {
      expect(canonicalJson(v)).toBe(definition(v));
    }), { numRuns: 2_000 });
  });

  it('property: objects of one shape in another key order serialise alike, whichever shape came before', () => {
    const flat = fc.dictionary(key, primitive, { minKeys: 1 });
    fc.assert(
      fc.property(flat, flat, (a, b) => {
        const reversed = Object.fromEntries(Object.entries(a).reverse());
        expect([canonicalJson(b), canonicalJson(a), canonicalJson(reversed), canonicalJson(b)]).toEqual([definition(b), definition(a), definition(a), definition(b)]);
      }),
      { numRuns: 1_000 },
    );
  });
});
