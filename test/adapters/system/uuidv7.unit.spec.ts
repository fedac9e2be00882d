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
});
