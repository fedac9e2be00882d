/**
 * Deduplication and key lookup without a row or a probe per event. A dedup key whose last
 * segment is a plain decimal number (`trade/binance/BTC-USDT/1796628288687000`,
 * `candle/.../1700000000000`) belongs to a scope (everything up to that segment), and exchanges
 * number their trades upwards: the ledger keeps, per scope, the highest number it has stored
 * (its high-water mark). A key above its scope's mark, or in a scope with no mark, cannot be
 * stored yet: it is new, with no lookup. Only a key at or below the mark (a replay, a late or
 * out-of-order trade) or one that is not numbered is probed, a group's probes together.
 *
 * The same marks make the key index small: the keys of one scope that a block takes above the
 * mark span a range [lo, hi] that starts above every earlier range of the scope, so the ranges
 * of a scope never overlap and one row per scope per block (not per key) finds the only block
 * that can hold a numbered key. Keys taken at or below the mark, and keys that are not
 * numbered, are indexed one by one under their hash (keyHash.ts): they are the exception.
 *
 * Why this is exact: a number is only taken without leading zeros (one spelling per number) and
 * as a safe integer (exact in a double), and every stored numbered key is either in its scope's
 * ranges (so at or below the mark) or indexed by its hash.
 */

/** Longest number taken: 16 digits reach past 2^53, so every safe integer fits. */
const MAX_DIGITS = 16;

export interface ScopedNumber {
  readonly scope: string;
  readonly n: number;
}

/**
 * The scope and number of a key whose last segment is a plain decimal number (0, or 1-9 then at
 * most 15 more digits) that is a safe integer; undefined otherwise. Read digit by digit, since
 * every trade's key is read twice per append (is it new, then noted): the running value is exact
 * while it is below 2^53, and a value at or past 2^53 rounds to one, so it is refused either way.
 */
export const scopedNumberOf = (key: string): ScopedNumber | undefined => {
  const start = key.lastIndexOf('/') + 1;
  const digits = key.length - start;
  if (digits < 1 || digits > MAX_DIGITS) return undefined;
  if (key.charCodeAt(start) === 48 /* 0 */ && digits > 1) return undefined;
  let n = 0;
  for (let i = start; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    n = n * 10 + (c - 48);
  }
  return Number.isSafeInteger(n) ? { scope: key.slice(0, start), n } : undefined;
};

/** The numbered keys of one scope a block took above the mark. */
export type KeyRange = readonly [scope: string, lo: number, hi: number];

export interface DedupMarks {
  /** True when `key` cannot be stored: numbered and above its scope's mark (or its scope has none). */
  isNew(key: string): boolean;
  /**
   * Records that `key` is being stored. True when the group's ranges cover it (numbered, above
   * the mark); false when it must be indexed by its hash.
   */
  note(key: string): boolean;
  /** The ranges of the keys noted since the last call, to be stored with their block. */
  takeRanges(): KeyRange[];
  /** Starts again from the stored marks (after a failed write, what was noted is not stored). */
  reset(stored: ReadonlyMap<string, number>): void;
  /** Adds the stored marks of scopes read since (scopes this has not noted keys of). */
  learn(stored: ReadonlyMap<string, number>): void;
}

export const createDedupMarks = (stored: ReadonlyMap<string, number>): DedupMarks => {
  let marks = new Map(stored);
  let ranges = new Map<string, [lo: number, hi: number]>();
  return {
    isNew(key) {
      const s = scopedNumberOf(key);
      if (s === undefined) return false;
      const mark = marks.get(s.scope);
      return mark === undefined || s.n > mark;
    },
    note(key) {
      const s = scopedNumberOf(key);
      if (s === undefined) return false;
      const mark = marks.get(s.scope);
      if (mark !== undefined && s.n <= mark) return false;
      marks.set(s.scope, s.n);
      const range = ranges.get(s.scope);
      if (range === undefined) ranges.set(s.scope, [s.n, s.n]);
      else range[1] = s.n;
      return true;
    },
    takeRanges() {
      const out = [...ranges].map(([scope, [lo, hi]]): KeyRange => [scope, lo, hi]);
      ranges = new Map();
      return out;
    },
    reset(from) {
      marks = new Map(from);
      ranges = new Map();
    },
    learn(from) {
      for (const [scope, mark] of from) marks.set(scope, mark);
    },
  };
};
