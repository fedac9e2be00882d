/**
 * The ledger's array literals on the real server: any strings (quotes, backslashes, braces,
 * commas, NULL-looking text, control characters, surrogates, any Unicode) and nulls come back
 * from PostgreSQL as text[] exactly as sent; integers as int[].
 */
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intArrayLiteral, textArrayLiteral } from '../../../src/adapters/ledger/postgres/arrayLiteral.js';
import { requireStack } from '../../support/stack.js';

const postgres = requireStack('postgres');

// PostgreSQL text cannot hold U+0000, and a lone surrogate has no UTF-8 form: neither can be stored by any encoder.
const storable = (s: string): boolean => !s.includes('\u0000') && s === Buffer.from(s, 'utf8').toString('utf8');
const tricky = fc.constantFrom('"', '\\', '{', '}', ',', ' ', 'NULL', 'null', '\n', '\t', '\u0001', '\u001f', 'é', '😀', '\u2028', '');
const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.array(tricky, { maxLength: 8 }).map((p) => p.join('')), fc.json()).filter(storable);

describe.skipIf(postgres.skip)('PostgreSQL array literals', () => {
  const client = new pg.Client({ connectionString: postgres.endpoint().url });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it('text[] round-trips any strings and nulls', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(text, { nil: null, freq: 8 }), { maxLength: 12 }), async (values) => {
        const r = await client.query<{ a: Array<string | null> }>('SELECT $1::text[] AS a', [textArrayLiteral(values)]);
        expect(r.rows[0]!.a).toEqual(values);
      }),
      { numRuns: 300 },
    );
  });

  it('int[] round-trips integers, and refuses what is not one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer(), { maxLength: 12 }), async (values) => {
        const r = await client.query<{ a: number[] }>('SELECT $1::int[] AS a', [intArrayLiteral(values)]);
        expect(r.rows[0]!.a).toEqual(values);
      }),
      { numRuns: 100 },
    );
    expect(() => intArrayLiteral([1, 1.5])).toThrow(/not an integer/);
  });
});
