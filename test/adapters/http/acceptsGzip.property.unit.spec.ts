import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptsGzip } from '../../../src/adapters/http/acceptsGzip.js';

const otherCoding = fc.constantFrom('br', 'deflate', 'identity', 'zstd', 'compress');
const quality = fc.constantFrom('', ';q=1', ';q=0.5', ';q=0.001', ';q=0', ';q=0.0');
const takes = (q: string): boolean => q === '' || Number(q.slice(3)) > 0;

describe('acceptsGzip', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['gzip', true],
    ['GZIP', true],
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8, *;q=0.1', true],
    ['x-gzip', true],
    ['gzip;q=0', false],
    ['gzip; q=0', false],
    ['*', true],
    ['*;q=0', false],
    ['*, gzip;q=0', false],
    ['gzip;q=0, *', false],
    ['identity', false],
    ['br, deflate', false],
    ['gzip;q=zero', false],
  ])('%j → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });

  it('takes gzip exactly when it is named with a quality above 0, or not named and * is', () => {
    fc.assert(
      fc.property(
        fc.array(otherCoding, { maxLength: 4 }),
        fc.option(quality, { nil: undefined }),
        fc.option(quality, { nil: undefined }),
        fc.nat(),
        (others, gzipQ, starQ, at) => {
          const parts: string[] = others.map((o) => o);
          if (starQ !== undefined) parts.splice(at % (parts.length + 1), 0, `*${starQ}`);
          if (gzipQ !== undefined) parts.splice((at >> 2) % (parts.length + 1), 0, `gzip${gzipQ}`);
          const expected = gzipQ !== undefined ? takes(gzipQ) : starQ !== undefined && takes(starQ);
          expect(acceptsGzip(parts.join(', '))).toBe(expected);
        },
      ),
    );
  });
});
