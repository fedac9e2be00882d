/** Simple returns from bar closes: r_t = C_t / C_{t-1} - 1, only where both bars exist. */

export interface Close {
  /** Start of the bar, epoch ms. */
  readonly time: number;
  readonly close: number;
}

export interface BarReturn {
  /** Start of the bar the return ends at. */
  readonly time: number;
  readonly value: number;
}

/**
 * The returns of consecutive bars (`step` ms apart) in time order. A return across a missing bar
 * would span two periods and break every per-period figure, so it is left out; the caller reports
 * the missing bars.
 */
export const simpleReturns = (closes: readonly Close[], step: number): BarReturn[] => {
  const out: BarReturn[] = [];
  for (let i = 1; i < closes.length; i++) {
    const prev = closes[i - 1]!;
    const cur = closes[i]!;
    if (cur.time - prev.time === step) out.push({ time: cur.time, value: cur.close / prev.close - 1 });
  }
  return out;
};

/** Bar starts in [from, to] (both inclusive, `step` apart) with no close. */
export const missingBars = (closes: readonly Close[], from: number, to: number, step: number): number[] => {
  const present = new Set(closes.map((c) => c.time));
  const out: number[] = [];
  for (let t = from; t <= to; t += step) if (!present.has(t)) out.push(t);
  return out;
};
