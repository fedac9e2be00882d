/**
 * The naive forecasts every model is reported beside (docs/models.md, "Naive forecasts"):
 * regression, a zero return; classification, the majority class of the fold's training rows, and
 * persistence — the label of the bar (h + 1) intervals earlier, the newest target fully realised when
 * the forecast is made (the majority class when that bar has no target).
 */
import { trendLabel } from './trend.js';

export const zeroForecast = (rows: number): Float64Array => new Float64Array(rows);

/** The most frequent label of rows [0, end); a tie goes to the lowest class. */
export const majorityClass = (labels: ArrayLike<number>, end: number, classes: number): number => {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < end; i++) counts[labels[i]!]!++;
  let best = 0;
  for (let c = 1; c < classes; c++) if (counts[c]! > counts[best]!) best = c;
  return best;
};

export interface PersistenceInput {
  readonly times: Float64Array;
  readonly targetsByTime: ReadonlyMap<number, number>;
  readonly lagMs: number;
  readonly threshold: number;
}

export const persistenceForecast = (input: PersistenceInput, from: number, to: number, fallback: number): Float64Array => {
  const out = new Float64Array(to - from);
  for (let r = from; r < to; r++) {
    const earlier = input.targetsByTime.get(input.times[r]! - input.lagMs);
    out[r - from] = earlier === undefined ? fallback : trendLabel(earlier, input.threshold);
  }
  return out;
};
