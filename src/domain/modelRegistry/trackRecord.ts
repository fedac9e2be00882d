/**
 * A model's live track record from its PredictionScored events: per UTC day of the target and
 * cumulatively, how it did against the naive forecast on the same predictions. Regression: MAE,
 * the naive MAE and skill = 1 − MAE / MAE_naive, directional accuracy and interval coverage;
 * classification: accuracy beside the naive forecast's, skill = 1 − err / err_naive.
 */
import type { PredictionScoredData } from '../events/models.js';
import { utcDay } from '../time.js';

export interface TrackRecordPeriod {
  /** yyyy-mm-dd of the targets (the day the horizons ended). */
  readonly day: string;
  readonly scored: number;
  readonly period: TrackFigures;
  /** Every prediction scored through this day. */
  readonly cumulative: TrackFigures;
}

export interface TrackFigures {
  /** Regression: mean |error|; classification: error rate (1 − accuracy). */
  readonly error: number;
  readonly naiveError: number;
  /** 1 − error / naiveError; null when the naive error is zero. */
  readonly skill: number | null;
  readonly beatsNaive: boolean;
  /** Regression: directional accuracy; classification: accuracy. */
  readonly hitRate: number;
  readonly naiveHitRate: number;
  /** Regression: share of realised returns inside each interval. */
  readonly coverage: Readonly<Record<string, number>>;
}

interface Sums {
  n: number;
  error: number;
  naiveError: number;
  hits: number;
  naiveHits: number;
  covered: Map<number, number>;
}

const emptySums = (): Sums => ({ n: 0, error: 0, naiveError: 0, hits: 0, naiveHits: 0, covered: new Map() });

const add = (s: Sums, d: PredictionScoredData): void => {
  s.n++;
  const o = d.outcome;
  if (o.kind === 'return-regression') {
    s.error += Math.abs(o.error);
    s.naiveError += Math.abs(o.naiveError);
    if (o.directionHit) s.hits++;
    // The naive zero-return forecast is right about direction only when nothing moved.
    if (d.realised === 0) s.naiveHits++;
    for (const c of o.covered) s.covered.set(c.level, (s.covered.get(c.level) ?? 0) + (c.inside ? 1 : 0));
  } else {
    if (!o.correct) s.error++;
    if (!o.naiveCorrect) s.naiveError++;
    if (o.correct) s.hits++;
    if (o.naiveCorrect) s.naiveHits++;
  }
};

const figures = (s: Sums): TrackFigures => {
  const error = s.error / s.n;
  const naiveError = s.naiveError / s.n;
  const skill = naiveError === 0 ? null : 1 - error / naiveError;
  return {
    error,
    naiveError,
    skill,
    beatsNaive: skill !== null && skill > 0,
    hitRate: s.hits / s.n,
    naiveHitRate: s.naiveHits / s.n,
    coverage: Object.fromEntries([...s.covered].sort(([a], [b]) => a - b).map(([level, k]) => [String(level), k / s.n])),
  };
};

/** Scores in any order; periods ascending by day. */
export const trackRecord = (scores: readonly PredictionScoredData[]): { periods: TrackRecordPeriod[]; overall: (TrackFigures & { scored: number }) | null } => {
  const sorted = [...scores].sort((a, b) => a.targetTime - b.targetTime || (a.predictionId < b.predictionId ? -1 : 1));
  const total = emptySums();
  const periods: TrackRecordPeriod[] = [];
  let day: string | undefined;
  let period = emptySums();
  const close = (): void => {
    if (day !== undefined && period.n > 0) periods.push({ day, scored: period.n, period: figures(period), cumulative: figures(total) });
  };
  for (const d of sorted) {
    const dDay = utcDay(d.targetTime);
    if (dDay !== day) {
      close();
      day = dDay;
      period = emptySums();
    }
    add(period, d);
    add(total, d);
  }
  close();
  return { periods, overall: total.n === 0 ? null : { scored: total.n, ...figures(total) } };
};
