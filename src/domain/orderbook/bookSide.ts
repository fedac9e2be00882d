/**
 * One side of an order book: price levels kept sorted, best last. Prices compare by their double
 * first (rounding to a double never reverses an order, so unequal doubles order their decimals)
 * and exactly (decimalOrder.ts) only when the doubles tie; so the order is exact and almost every
 * comparison is one number comparison. Best last because most changes are near the touch: an
 * insert or removal there moves few elements.
 *
 * A level keeps the exchange's own price and quantity strings (a checksum is taken over them) and
 * what its text adds to a checksum (crc32.ts), kept until the level changes. The side also notes
 * the best-first index of the first level changed since its checksum was last taken
 * (`changedFrom`), and keeps the checksum's running registers after each of its top levels
 * (`crcStates`): the checksum takes up its chain at the first changed level, not at the top.
 */
import { compareDecimals, isZeroDecimal } from './decimalOrder.js';

export interface Level {
  readonly price: string;
  readonly key: number;
  qty: string;
  /** The CRC32 piece of the level as its exchange's checksum writes it, and that text's length; -1 until asked, reset on change. */
  crcPiece: number;
  crcLength: number;
}

/** `changedFrom` when no level has changed. */
export const UNCHANGED = 0x3fffffff;

export type SideName = 'bids' | 'asks';

export class BookSide {
  /** Worst first, best last. */
  private readonly levels: Level[] = [];
  /** +1 for bids (higher is better), -1 for asks. */
  private readonly direction: number;
  /**
   * Best-first index of the first level changed, inserted or removed since bookChecksums.ts last
   * took the checksum (and reset it to UNCHANGED): the levels above it, and their order, are as
   * they were then. 0 for a new or cleared side.
   */
  changedFrom = 0;
  /** The checksum's running registers after each top level (bookChecksums.ts), valid above `changedFrom`. */
  crcStates = new Int32Array(0);

  constructor(readonly name: SideName) {
    this.direction = name === 'bids' ? 1 : -1;
  }

  get size(): number {
    return this.levels.length;
  }

  /** > 0 when `a` is better than the level `b`. */
  private better(price: string, key: number, b: Level): number {
    if (key !== b.key) return key > b.key ? this.direction : -this.direction;
    return compareDecimals(price, b.price) * this.direction;
  }

  /** Sets a level's quantity; a zero quantity removes it. */
  set(price: string, qty: string): void {
    const key = Number(price);
    const levels = this.levels;
    let lo = 0;
    let hi = levels.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.better(price, key, levels[mid]!);
      if (c === 0) {
        this.changed(levels.length - 1 - mid);
        if (isZeroDecimal(qty)) levels.splice(mid, 1);
        else {
          const level = levels[mid]!;
          level.qty = qty;
          level.crcLength = -1;
        }
        return;
      }
      if (c > 0) lo = mid + 1;
      else hi = mid;
    }
    if (isZeroDecimal(qty)) return;
    this.changed(levels.length - lo);
    const level: Level = { price, key, qty, crcPiece: 0, crcLength: -1 };
    if (lo === levels.length) levels.push(level);
    else levels.splice(lo, 0, level);
  }

  /** Keeps the `depth` best levels (an exchange that sends no removal for levels past it). */
  truncate(depth: number): void {
    const extra = this.levels.length - depth;
    if (extra > 0) {
      this.levels.splice(0, extra);
      this.changed(depth);
    }
  }

  clear(): void {
    this.levels.length = 0;
    this.changedFrom = 0;
  }

  private changed(bestFirst: number): void {
    if (bestFirst < this.changedFrom) this.changedFrom = bestFirst;
  }

  /** The levels, worst first (the i-th best at length - 1 - i): for the checksums' loops, read only. */
  get worstFirst(): readonly Level[] {
    return this.levels;
  }

  /** The i-th best level (0 = the best), undefined past the end. */
  at(i: number): Level | undefined {
    return this.levels[this.levels.length - 1 - i];
  }

  best(): Level | undefined {
    return this.levels[this.levels.length - 1];
  }

  /** The `n` best levels as [price, quantity], best first. */
  top(n: number): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (let i = this.levels.length - 1; i >= 0 && out.length < n; i--) out.push([this.levels[i]!.price, this.levels[i]!.qty]);
    return out;
  }
}
