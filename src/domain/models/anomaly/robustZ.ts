/**
 * The anomaly model: a robust multivariate z-score per bar. Each bar is described by its 1-bar log
 * return, its log volume and its order-flow imbalance; each is compared with the same quantity over
 * the `window` bars before it (never the bar itself or anything later) through the median and the
 * MAD (× 1.4826, the normal-consistent scale), and the score is the Euclidean norm of the z-scores.
 *
 * Why this one: crashes and bursts are rare moves *relative to the symbol's own recent state*, so
 * a rolling median/MAD baseline adapts to every symbol and regime without a fitted distribution;
 * median and MAD are not dragged by the very outliers they must expose (a mean and sd are); the
 * norm lets a crash's joint evidence (a fall, heavy volume, one-sided selling) add up where each
 * alone is moderate; and a model of three numbers (window, threshold, components) is serialisable,
 * needs only the last `window` bars, so the speed layer scores live bars with it as they close.
 * An isolation forest was the alternative: it needs a training distribution that goes stale and
 * a random forest of its own per symbol, for no gain on the injected episodes (docs/models.md).
 */

import { InvalidInputError } from '../../errors.js';

/** What the score reads of a bar: a feature row or a live candle both have it. */
export interface AnomalyBar {
  readonly time: number;
  readonly close: number;
  readonly volume: number;
  readonly takerBuyVolume: number;
  readonly takerSellVolume: number;
}

export const ANOMALY_COMPONENTS = ['logReturn', 'logVolume', 'flowImbalance'] as const;
export type AnomalyComponent = (typeof ANOMALY_COMPONENTS)[number];

export interface RobustZJson {
  readonly type: 'robust-z';
  /** Bars of history behind each bar's baseline. */
  readonly window: number;
  /** Fewest history values a component needs before it is scored. */
  readonly minHistory: number;
  /** A bar whose score exceeds it is anomalous. */
  readonly threshold: number;
  /** Bar length: a return needs the bar exactly one interval before. */
  readonly intervalMs: number;
  readonly components: readonly AnomalyComponent[];
}

export interface AnomalyScore {
  readonly time: number;
  /** Null while no component has `minHistory` values of history. */
  readonly score: number | null;
  readonly anomalous: boolean;
  /** Each component's robust z (null when it could not be scored). */
  readonly z: Readonly<Record<AnomalyComponent, number | null>>;
}

/** MAD floors: a flat baseline (a stablecoin, an idle hour) would otherwise make any change infinite. */
const MIN_SCALE: Record<AnomalyComponent, number> = { logReturn: 1e-5, logVolume: 1e-3, flowImbalance: 1e-3 };
const MAD_TO_SD = 1.4826;

/** Each component per bar, null where undefined (no previous bar, no volume, no taker split). */
export const componentValues = (bars: readonly AnomalyBar[], intervalMs: number): Record<AnomalyComponent, Array<number | null>> => ({
  logReturn: bars.map((b, i) => (i > 0 && b.time - bars[i - 1]!.time === intervalMs && bars[i - 1]!.close > 0 && b.close > 0 ? Math.log(b.close / bars[i - 1]!.close) : null)),
  logVolume: bars.map((b) => (b.volume > 0 ? Math.log(b.volume) : null)),
  flowImbalance: bars.map((b) => {
    const total = b.takerBuyVolume + b.takerSellVolume;
    return total > 0 ? (b.takerBuyVolume - b.takerSellVolume) / total : null;
  }),
});

const median = (sorted: Float64Array): number => {
  const m = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
};

/** The robust z of values[i] against the defined values among the `window` before it. */
const robustZ = (values: ReadonlyArray<number | null>, i: number, window: number, minHistory: number, floor: number): number | null => {
  const x = values[i];
  if (x === null || x === undefined) return null;
  const history: number[] = [];
  for (let j = Math.max(0, i - window); j < i; j++) if (values[j] !== null) history.push(values[j]!);
  if (history.length < minHistory) return null;
  const sorted = Float64Array.from(history).sort();
  const med = median(sorted);
  const deviations = sorted.map((v) => Math.abs(v - med)).sort();
  return (x - med) / Math.max(MAD_TO_SD * median(deviations), floor);
};

/** Scores every bar of a time-ordered series (each from the bars before it only). */
export const scoreBars = (model: RobustZJson, bars: readonly AnomalyBar[], intervalMs = model.intervalMs): AnomalyScore[] => {
  const values = componentValues(bars, intervalMs);
  return bars.map((b, i) => {
    const z = Object.fromEntries(ANOMALY_COMPONENTS.map((c) => [c, model.components.includes(c) ? robustZ(values[c], i, model.window, model.minHistory, MIN_SCALE[c]) : null])) as Record<AnomalyComponent, number | null>;
    const defined = Object.values(z).filter((v): v is number => v !== null);
    const score = defined.length === 0 ? null : Math.sqrt(defined.reduce((a, v) => a + v * v, 0));
    return { time: b.time, score, anomalous: score !== null && score > model.threshold, z };
  });
};

/** The score of the newest bar, given it and (up to) the model's window of bars before it. */
export const scoreLatest = (model: RobustZJson, recent: readonly AnomalyBar[], intervalMs = model.intervalMs): AnomalyScore => {
  if (recent.length === 0) throw new InvalidInputError('anomaly score: no bar to score; pass the newest bar last, after its history');
  // The window's bars and the one before them, whose close the window's first return needs.
  return scoreBars(model, recent.slice(-(model.window + 2)), intervalMs).at(-1)!;
};
