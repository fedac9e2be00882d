/** The snapshot text codec: every JSON-shaped value round-trips, special numbers included, and garbage gives a reason. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSnapshot, encodeSnapshot } from '../../../src/domain/detectors/snapshotCodec.js';

// Keys the codec reserves ($num tags a special number) or JSON.parse treats specially are left out.
const key = fc.string({ maxLength: 6 }).filter((k) => k !== '$num' && k !== '__proto__');
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('array'), tie('object')),
  // fc.double() yields NaN, ±Infinity and -0 among ordinary numbers.
  leaf: fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(null)),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 5, noNullPrototype: true }),
}));

/** Deep equality that tells -0 from 0 and NaN from null (Object.is on every leaf). */
const sameToTheBit = (a: unknown, b: unknown): boolean => {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameToTheBit((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
};

describe('snapshot codec', () => {
  it('round-trips any JSON-shaped value to the bit, NaN, ±Infinity and -0 included, and leaves its input as it was', () => {
    fc.assert(
      fc.property(value, (v) => {
        const before = structuredClone(v);
        const decoded = decodeSnapshot(encodeSnapshot(v));
        expect(decoded.ok).toBe(true);
        expect(decoded.ok && sameToTheBit(decoded.value, v)).toBe(true);
        expect(sameToTheBit(v, before)).toBe(true);
      }),
      { numRuns: 1_000, examples: [[[Number.NaN, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, { a: -0, b: [Number.NaN] }]]] },
    );
  });

  it('gives a reason for text that is not JSON, never a throw', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        const r = decodeSnapshot(text);
        expect(r.ok).toBe(parses);
        if (!r.ok) expect(r.reason).toMatch(/^not JSON: /);
      }),
    );
  });
});
