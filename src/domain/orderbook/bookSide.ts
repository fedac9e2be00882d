/**
 * One side of an order book: price levels kept sorted, best last, in flat parallel arrays (a sort
 * key, the exchange's price and quantity strings, and what each level's text adds to a checksum),
 * so an update allocates nothing and a search touches one typed array.
 *
 * The sort key is the price's double, negated for asks, so both sides ascend to their best. Prices
 * compare by key first (rounding to a double never reverses an order, so unequal doubles order
 * their decimals), then, when the keys tie and the strings differ, exactly (decimalOrder.ts): the
 * order is exact and almost every comparison is one number comparison. Best last because most
 * changes are near the touch: an insert or removal there moves few elements. The levels occupy
 * slots [start, end) of the arrays: a depth cut drops the worst by moving `start`, without moving
 * any level.
 *
 * Each level's strings are kept as the exchange sent them (a checksum is taken over them), with
 * the CRC32 piece of its text (crc32.ts) and that text's length, -1 until bookChecksums.ts asks
 * and again after the level changes. The side also notes the best-first index of the first level
 * changed since its checksum was last taken (`changedFrom`) and keeps the checksum's running
 * registers after each of its top levels (`crcStates`): the checksum takes up its chain at the
 * first changed level, not at the top.
 */
import { compareDecimals, isZeroDecimal } from './decimalOrder.js';

/** A level as read outside the book's upkeep. */
export interface Level {
  readonly price: string;
  readonly qty: string;
}

/** `changedFrom` when no level has changed. */
export const UNCHANGED = 0x3fffffff;

export type SideName = 'bids' | 'asks';

const INITIAL_CAPACITY = 32;

export class BookSide {
  /** +1 for bids (a higher price is better), -1 for asks: a key is the price's double times this. */
  private readonly direction: number;
  private keys = new Float64Array(INITIAL_CAPACITY);
  private priceSlots: string[] = new Array<string>(INITIAL_CAPACITY).fill('');
  private qtySlots: string[] = new Array<string>(INITIAL_CAPACITY).fill('');
  private pieceSlots = new Int32Array(INITIAL_CAPACITY);
  private lengthSlots = new Int32Array(INITIAL_CAPACITY);
  /** The levels are the slots [start, end), worst first. */
  private start = 0;
  private end = 0;
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
    return this.end - this.start;
  }

  /** Sets a level's quantity; a zero quantity removes it. */
  set(price: string, qty: string): void {
    const key = Number(price) * this.direction;
    const keys = this.keys;
    const end = this.end;
    let lo = this.start;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid]!;
      let c = key - k;
      if (c === 0) {
        const there = this.priceSlots[mid]!;
        if (there === price || (c = compareDecimals(price, there) * this.direction) === 0) {
          this.changed(end - 1 - mid);
          if (isZeroDecimal(qty)) this.remove(mid);
          else {
            this.qtySlots[mid] = qty;
            this.lengthSlots[mid] = -1;
          }
          return;
        }
      }
      if (c > 0) lo = mid + 1;
      else hi = mid;
    }
    if (isZeroDecimal(qty)) return;
    this.changed(end - lo);
    this.insert(lo, key, price, qty);
  }

  /** Removes the level in `slot`, moving the better ones down by one. */
  private remove(slot: number): void {
    const last = --this.end;
    const { keys, priceSlots, qtySlots, pieceSlots, lengthSlots } = this;
    for (let j = slot; j < last; j++) {
      keys[j] = keys[j + 1]!;
      priceSlots[j] = priceSlots[j + 1]!;
      qtySlots[j] = qtySlots[j + 1]!;
      pieceSlots[j] = pieceSlots[j + 1]!;
      lengthSlots[j] = lengthSlots[j + 1]!;
    }
    // No reference kept to a level that is gone.
    priceSlots[last] = '';
    qtySlots[last] = '';
  }

  /** Inserts a level at `slot`, moving the better ones up by one. */
  private insert(slot: number, key: number, price: string, qty: string): void {
    if (this.end === this.keys.length) slot = this.makeRoom(slot);
    const { keys, priceSlots, qtySlots, pieceSlots, lengthSlots } = this;
    for (let j = this.end; j > slot; j--) {
      keys[j] = keys[j - 1]!;
      priceSlots[j] = priceSlots[j - 1]!;
      qtySlots[j] = qtySlots[j - 1]!;
      pieceSlots[j] = pieceSlots[j - 1]!;
      lengthSlots[j] = lengthSlots[j - 1]!;
    }
    keys[slot] = key;
    priceSlots[slot] = price;
    qtySlots[slot] = qty;
    lengthSlots[slot] = -1;
    this.end++;
  }

  /**
   * The arrays are full up to their end: the levels move down to slot 0 (room left by depth cuts),
   * into arrays twice as long when more than half full. Returns where `slot` moved.
   */
  private makeRoom(slot: number): number {
    const { start, end } = this;
    const n = end - start;
    const capacity = n * 2 > this.keys.length ? this.keys.length * 2 : this.keys.length;
    const keys = new Float64Array(capacity);
    const pieceSlots = new Int32Array(capacity);
    const lengthSlots = new Int32Array(capacity);
    keys.set(this.keys.subarray(start, end));
    pieceSlots.set(this.pieceSlots.subarray(start, end));
    lengthSlots.set(this.lengthSlots.subarray(start, end));
    const priceSlots = new Array<string>(capacity).fill('');
    const qtySlots = new Array<string>(capacity).fill('');
    for (let j = 0; j < n; j++) {
      priceSlots[j] = this.priceSlots[start + j]!;
      qtySlots[j] = this.qtySlots[start + j]!;
    }
    this.keys = keys;
    this.priceSlots = priceSlots;
    this.qtySlots = qtySlots;
    this.pieceSlots = pieceSlots;
    this.lengthSlots = lengthSlots;
    this.start = 0;
    this.end = n;
    return slot - start;
  }

  /** Keeps the `depth` best levels (an exchange that sends no removal for levels past it). */
  truncate(depth: number): void {
    const extra = this.size - depth;
    if (extra > 0) {
      for (let j = this.start; j < this.start + extra; j++) {
        this.priceSlots[j] = '';
        this.qtySlots[j] = '';
      }
      this.start += extra;
      this.changed(depth);
    }
  }

  clear(): void {
    this.priceSlots.fill('');
    this.qtySlots.fill('');
    this.start = 0;
    this.end = 0;
    this.changedFrom = 0;
  }

  private changed(bestFirst: number): void {
    if (bestFirst < this.changedFrom) this.changedFrom = bestFirst;
  }

  /**
   * For the checksums' loops (bookChecksums.ts): the slot of the best level; the i-th best is in
   * slot `bestSlot - i`, while i < size. Slots are valid until the side next changes.
   */
  get bestSlot(): number {
    return this.end - 1;
  }

  /** The slots' price and quantity strings, read only. */
  get prices(): readonly string[] {
    return this.priceSlots;
  }

  get qtys(): readonly string[] {
    return this.qtySlots;
  }

  /** The slots' CRC pieces and text lengths (-1: not yet computed since the level changed), for bookChecksums.ts to fill. */
  get crcPieces(): Int32Array {
    return this.pieceSlots;
  }

  get crcLengths(): Int32Array {
    return this.lengthSlots;
  }

  /** The best level, undefined when the side is empty. */
  best(): Level | undefined {
    const b = this.end - 1;
    return b < this.start ? undefined : { price: this.priceSlots[b]!, qty: this.qtySlots[b]! };
  }

  /** The `n` best levels as [price, quantity], best first. */
  top(n: number): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (let j = this.end - 1; j >= this.start && out.length < n; j--) out.push([this.priceSlots[j]!, this.qtySlots[j]!]);
    return out;
  }
}
