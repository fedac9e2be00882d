/**
 * The tree's two hashes, hashed in one call each for speed, against SHA-256 of the RFC 6962
 * inputs built the plain way: any string (multi-byte UTF-8, short or long)
 * or bytes, and any pair of node hashes, in any order of calls.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leafHash, nodeHash } from '../../../../src/adapters/ledger/merkle/rfc6962.js';

const sha256 = (...parts: Array<Uint8Array | string>): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

const entry = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', minLength: 30_000, maxLength: 40_000 }),
  fc.uint8Array({ maxLength: 300 }),
);

describe('RFC 6962 hashes', () => {
  it('property: leafHash is SHA-256(0x00 ‖ bytes) and nodeHash SHA-256(0x01 ‖ left ‖ right), whatever was hashed before', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 6 }), (entries) => {
        const leaves = entries.map((e) => leafHash(e));
        entries.forEach((e, i) => expect(leaves[i]).toEqual(sha256(Buffer.from([0]), e)));
        for (let i = 1; i < leaves.length; i++) {
          expect(nodeHash(leaves[i - 1]!, leaves[i]!)).toEqual(sha256(Buffer.from([1]), leaves[i - 1]!, leaves[i]!));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a hash returned earlier is not changed by later calls (it shares no buffer with them)', () => {
    const first = leafHash('first');
    const copy = Buffer.from(first);
    leafHash('x'.repeat(200_000));
    nodeHash(first, first);
    expect(first).toEqual(copy);
  });
});
