/**
 * Deduplication without an index probe per event. A dedup key whose last segment is a plain
 * decimal number (`trade/binance/BTC-USDT/1796628288687000`, `candle/.../1700000000000`) belongs
 * to a scope (everything before that segment), and exchanges number their trades upwards: the
 * ledger keeps, per scope, the highest number it has stored (its high-water mark). A key above
 * its scope's mark, or in a scope with no mark, cannot be stored yet: it is new, with no lookup.
 * Only a key at or below the mark (a replay, a late or out-of-order trade) or one that is not
 * numeric is probed in the key index, all of a group's probes in one query. The marks are
 * stored with the blocks that raise them (same transaction), so they hold across restarts.
 *
 * Why this is exact: a numeric segment is only taken without leading zeros, so each number has
 * one spelling, and every stored numeric key has raised its scope's mark; a key above the mark
 * therefore differs from every stored key of its scope.
 */

/** Decimal without leading zeros; also a safe integer (exact in a double), checked below. */
const NUMERIC = /^(?:0|[1-9][0-9]{0,15})$/;

export interface ScopedNumber {
  readonly scope: string;
  readonly n: number;
}

/** The scope and number of a key whose last segment is a plain decimal number; undefined otherwise. */
export const scopedNumberOf = (key: string): ScopedNumber | undefined => {
  const slash = key.lastIndexOf('/');
  const last = key.slice(slash + 1);
  if (!NUMERIC.test(last)) return undefined;
  const n = Number(last);
  return Number.isSafeInteger(n) ? { scope: key.slice(0, slash + 1), n } : undefined;
};

export interface DedupMarks {
  /** True when `key` cannot be stored: numeric and above its scope's mark (or its scope has none). */
  isNew(key: string): boolean;
  /** Records that `key` is being stored; the marks it raises are kept for `takeRaised`. */
  note(key: string): void;
  /** The marks raised since the last call, to be stored with the block that raised them. */
  takeRaised(): Array<[scope: string, mark: number]>;
  /** Starts again from the stored marks (after a failed write, what was noted is not stored). */
  reset(stored: ReadonlyMap<string, number>): void;
}

export const createDedupMarks = (stored: ReadonlyMap<string, number>): DedupMarks => {
  let marks = new Map(stored);
  let raised = new Map<string, number>();
  return {
    isNew(key) {
      const s = scopedNumberOf(key);
      if (s === undefined) return false;
      const mark = marks.get(s.scope);
      return mark === undefined || s.n > mark;
    },
    note(key) {
      const s = scopedNumberOf(key);
      if (s === undefined) return;
      const mark = marks.get(s.scope);
      if (mark !== undefined && s.n <= mark) return;
      marks.set(s.scope, s.n);
      raised.set(s.scope, s.n);
    },
    takeRaised() {
      const out = [...raised];
      raised = new Map();
      return out;
    },
    reset(from) {
      marks = new Map(from);
      raised = new Map();
    },
  };
};
