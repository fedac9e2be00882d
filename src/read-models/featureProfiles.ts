/**
 * The time-series views beside the feature rows (docs/features.md): the autocorrelation of a
 * symbol's 1-bar log returns at lags 1..30, and the weekday × hour profile of its 1h log returns,
 * both over the returns of the feature rows of [from, to) (bars without a return left out).
 */
import { autocorrelation, type AcfPoint } from '../domain/features/autocorrelation.js';
import { ACF_MAX_LAG } from '../domain/features/definitions.js';
import { seasonalProfile, type SeasonalCell } from '../domain/features/seasonalProfile.js';
import type { FeaturesAnswer, FeaturesQuery } from './features.js';

type FeatureReader = (q: FeaturesQuery) => Promise<FeaturesAnswer>;

type Provenance = Pick<FeaturesAnswer, 'symbol' | 'interval' | 'from' | 'to' | 'batch' | 'gaps' | 'degraded'>;

const provenance = ({ symbol, interval, from, to, batch, gaps, degraded }: FeaturesAnswer): Provenance => ({ symbol, interval, from, to, batch, gaps, degraded });

const returnsOf = (a: FeaturesAnswer) =>
  a.rows.flatMap((r) => (r.logReturn1 === null ? [] : [{ time: r.time, value: r.logReturn1 }]));

export interface AutocorrelationAnswer extends Provenance {
  readonly estimator: 'statsmodels acf(x, adjusted=False): sum over t<n-k of (x_t - mean)(x_{t+k} - mean) / sum of (x_t - mean)^2';
  readonly observations: number;
  readonly acf: readonly AcfPoint[];
}

export const queryAutocorrelation = async (features: FeatureReader, q: FeaturesQuery): Promise<AutocorrelationAnswer> => {
  const a = await features(q);
  const returns = returnsOf(a).map((r) => r.value);
  return {
    ...provenance(a),
    estimator: 'statsmodels acf(x, adjusted=False): sum over t<n-k of (x_t - mean)(x_{t+k} - mean) / sum of (x_t - mean)^2',
    observations: returns.length,
    acf: autocorrelation(returns, ACF_MAX_LAG),
  };
};

export interface SeasonalityAnswer extends Provenance {
  readonly cells: readonly SeasonalCell[];
}

export const querySeasonality = async (features: FeatureReader, q: Omit<FeaturesQuery, 'interval'>): Promise<SeasonalityAnswer> => {
  const a = await features({ ...q, interval: '1h' });
  return { ...provenance(a), cells: seasonalProfile(returnsOf(a)) };
};
