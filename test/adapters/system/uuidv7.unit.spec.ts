import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createUuidV7Generator } from '../../../src/adapters/system/uuidv7.js';

describe('UUIDv7', () => {
  it('has the version 7 and variant bits and the clock in its first 48 bits', () => {
    const id = createUuidV7Generator({ now: () => 0x0123456789ab }).next();
    expect(id).toMatch(/^01234567-89ab-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('ids sort in generation order, within one millisecond and when the clock steps back', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 300 }), (steps) => {
        let t = 1_700_000_000_000;
        let i = 0;
        const gen = createUuidV7Generator({ now: () => (t += (steps[i++ % steps.length]! - 1)) });
        const ids = steps.map(() => gen.next());
        expect([...ids].sort()).toEqual(ids);
        expect(new Set(ids).size).toBe(ids.length);
      }),
    );
  });

  it('every id is its own fields (clock, counter, random bits) written as RFC 9562 lays them out', () => {
    /** The layout written out independently: 48 bits of time, version 7, 12 counter bits, variant 10, 30 counter bits, 32 random bits. */
    const written = (ms: bigint, counter: bigint, rand: bigint): string => {
      const bits = (ms << 80n) | (7n << 76n) | ((counter >> 30n) << 64n) | (2n << 62n) | ((counter & (2n ** 30n - 1n)) << 32n) | rand;
      const h = bits.toString(16).padStart(32, '0');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), fc.array(fc.integer({ min: -1, max: 2 }), { minLength: 1, maxLength: 200 }), (start, steps) => {
        let t = start;
        let i = 0;
        const gen = createUuidV7Generator({ now: () => (t = Math.max(0, t + steps[i++ % steps.length]!)) });
        for (const _ of steps) {
          const id = gen.next();
          const v = BigInt(`0x${id.replace(/-/g, '')}`);
          const counter = (((v >> 64n) & 0xfffn) << 30n) | ((v >> 32n) & (2n ** 30n - 1n));
          expect(id).toBe(written(v >> 80n, counter, v & 0xffffffffn));
          expect((v >> 76n) & 0xfn).toBe(7n);
          expect((v >> 62n) & 3n).toBe(2n);
        }
      }),
    );
  });
});
