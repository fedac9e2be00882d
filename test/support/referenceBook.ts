/**
 * A naive order book for tests to compare against: a map from each price's exact value (a
 * fixed-point bigint) to its level, sorted in full on every read. Slow and obviously right.
 */
import { parseFixed } from '../../src/domain/decimal.js';

export type Side = 'bids' | 'asks';
export interface RefLevel { readonly price: string; readonly qty: string }

export class ReferenceBook {
  private readonly sides = { bids: new Map<bigint, RefLevel>(), asks: new Map<bigint, RefLevel>() };

  set(side: Side, price: string, qty: string): void {
    const key = parseFixed(price)!;
    if (parseFixed(qty) === 0n) this.sides[side].delete(key);
    // A level keeps the price as first written: the book under test does the same.
    else this.sides[side].set(key, { price: this.sides[side].get(key)?.price ?? price, qty });
  }

  /** Keeps the `depth` best levels of each side. */
  truncate(depth: number): void {
    for (const side of ['bids', 'asks'] as const) {
      const keep = new Set(this.sorted(side).slice(0, depth).map((l) => parseFixed(l.price)!));
      for (const k of [...this.sides[side].keys()]) if (!keep.has(k)) this.sides[side].delete(k);
    }
  }

  /** Every level of a side, best first. */
  sorted(side: Side): RefLevel[] {
    const entries = [...this.sides[side].entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const levels = entries.map((e) => e[1]);
    return side === 'bids' ? levels.reverse() : levels;
  }

  top(n: number): { bids: Array<[string, string]>; asks: Array<[string, string]> } {
    const pick = (side: Side): Array<[string, string]> => this.sorted(side).slice(0, n).map((l) => [l.price, l.qty]);
    return { bids: pick('bids'), asks: pick('asks') };
  }

  clone(): ReferenceBook {
    const c = new ReferenceBook();
    for (const side of ['bids', 'asks'] as const) for (const [k, v] of this.sides[side]) c.sides[side].set(k, v);
    return c;
  }
}
