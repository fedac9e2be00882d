/** The domain's SHA-256 is node:crypto's on any text, including multi-byte characters and every padding length. */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/domain/sha256.js';

describe('sha256Hex', () => {
  it('equals node:crypto on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 100 })), (s) => {
        expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
      }),
      { numRuns: 500 },
    );
  });

  it('equals node:crypto across the padding boundaries (55, 56, 63, 64 bytes and beyond)', () => {
    for (let n = 0; n < 200; n++) expect(sha256Hex('a'.repeat(n))).toBe(createHash('sha256').update('a'.repeat(n)).digest('hex'));
  });
});
