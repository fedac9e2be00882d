/** Small robust statistics over the last N values, for the detectors' baselines. */
import { readArray, readNumber, SavedStateError } from './savedState.js';

/** A bounded FIFO of the last `capacity` numbers. */
export class RecentValues {
  private readonly values: number[] = [];
  constructor(private readonly capacity: number) {}
  push(v: number): void {
    this.values.push(v);
    if (this.values.length > this.capacity) this.values.shift();
  }
  get size(): number {
    return this.values.length;
  }
  snapshot(): readonly number[] {
    return this.values;
  }
  /** Replaces the values with saved ones (oldest first). */
  load(u: unknown, path: string): void {
    const saved = readArray(u, path);
    if (saved.length > this.capacity) throw new SavedStateError(path, `at most ${this.capacity} values`, saved.length);
    this.values.splice(0, this.values.length, ...saved.map((v, i) => readNumber(v, `${path}[${i}]`)));
  }
}

export const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** MAD × 1.4826 estimates σ for normal data. */
export const MAD_SCALE = 1.4826;

/** Median absolute deviation around the median (unscaled). */
export const mad = (xs: readonly number[]): number => {
  const m = median(xs);
  return median(xs.map((x) => Math.abs(x - m)));
};
