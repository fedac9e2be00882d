/**
 * The BookLake contract: every adapter (a local folder, HDFS) runs these same tests, written only
 * against the port. `make` returns a fresh, empty lake; `cleanup` removes what it holds. `runs`
 * bounds the generated cases (a round trip to HDFS costs a few NameNode calls).
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bookRowText, type BookRow } from '../../src/domain/orderbook/archive/bookRow.js';
import type { BookLake } from '../../src/domain/ports.js';

export interface BookLakeHarness {
  readonly lake: BookLake;
  cleanup(): Promise<void>;
}

const FILE = 'raw/orderbook/exchange=okx/date=2024-03-01/BTC-USDT_1709251200000_0123456789abcdef.parquet';

const decimal = fc.tuple(fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 9_999 })).map(([i, f]) => `${i}.${f}`);
const level = fc.tuple(decimal, decimal);
const rowArb: fc.Arbitrary<BookRow> = fc.oneof(
  fc.record({
    kind: fc.constant('bookSnapshot' as const),
    origin: fc.constantFrom('exchange' as const, 'archive' as const),
    data: fc.record({ exchange: fc.constant('okx'), symbol: fc.constant('BTC-USDT'), bids: fc.array(level, { maxLength: 5 }), asks: fc.array(level, { maxLength: 5 }), eventTime: fc.integer({ min: 1, max: 2e12 }), sequence: fc.nat() }),
  }),
  fc.record({
    kind: fc.constant('bookUpdate' as const),
    origin: fc.constant('exchange' as const),
    data: fc.record({ exchange: fc.constant('okx'), symbol: fc.constant('BTC-USDT'), bids: fc.array(level, { maxLength: 3 }), asks: fc.array(level, { maxLength: 3 }), eventTime: fc.integer({ min: 1, max: 2e12 }), sequence: fc.nat(), prevSequence: fc.nat() }),
  }),
);

const row = (sequence: number): BookRow => ({ kind: 'bookUpdate', origin: 'exchange', data: { exchange: 'okx', symbol: 'BTC-USDT', bids: [['100.5', String(sequence)]], asks: [], eventTime: 1_709_251_200_000 + sequence, sequence } });

export const bookLakeContract = (name: string, make: () => Promise<BookLakeHarness>, runs: number): void => {
  describe(`BookLake contract: ${name}`, () => {
    let h: BookLakeHarness;
    beforeEach(async () => {
      h = await make();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('has no rows for a file never written', async () => {
      expect(await h.lake.readRows(FILE)).toBeUndefined();
    });

    it("gives back every row's canonical text, in the order written", async () => {
      let k = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 40 }), async (rows) => {
          const file = FILE.replace('.parquet', `_${k++}.parquet`);
          await h.lake.writeRows(file, rows);
          expect(await h.lake.readRows(file)).toEqual(rows.map(bookRowText));
        }),
        { numRuns: runs, seed: 23 },
      );
    });

    it('keeps files apart, and a second write of a file replaces it whole: a reader meanwhile sees the old rows or the new, never neither', async () => {
      const old = Array.from({ length: 50 }, (_, i) => row(i));
      const fresh = Array.from({ length: 80 }, (_, i) => row(1_000 + i));
      const other = FILE.replace('exchange=okx', 'exchange=kraken');
      await h.lake.writeRows(FILE, old);
      await h.lake.writeRows(other, [row(7)]);
      const seen = new Set<string>();
      let writing = true;
      const reader = (async () => {
        while (writing) {
          const texts = await h.lake.readRows(FILE);
          seen.add(texts === undefined ? 'none' : texts.length === old.length && texts[0] === bookRowText(old[0]!) ? 'old' : texts.length === fresh.length && texts.at(-1) === bookRowText(fresh.at(-1)!) ? 'new' : 'torn');
        }
      })();
      await h.lake.writeRows(FILE, fresh);
      writing = false;
      await reader;
      expect(await h.lake.readRows(FILE)).toEqual(fresh.map(bookRowText));
      expect(await h.lake.readRows(other)).toEqual([bookRowText(row(7))]);
      expect([...seen].filter((s) => s !== 'old' && s !== 'new')).toEqual([]);
    });

    it('names its root in the URI it reports', () => {
      expect(h.lake.uri).toMatch(/^(file|hdfs):\/\//);
    });
  });
};
