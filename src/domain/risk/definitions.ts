/**
 * The fixed definitions every risk figure is computed by (issue 19, section 1), named in every
 * answer and event so that anyone can recompute a figure from the same closes.
 */
import { DAY_MS, bucketStart } from '../time.js';

/** Confidence levels of VaR and CVaR. */
export const VAR_LEVELS = [0.95, 0.99] as const;
export type VarLevel = (typeof VAR_LEVELS)[number];

/** Returns per year: crypto trades every day (and every hour of it). */
export const ANNUALISATION = { '1d': 365, '1h': 8_760 } as const;
export type RiskInterval = keyof typeof ANNUALISATION;

/** Fewest returns a window may hold: a sample standard deviation needs two. */
export const MIN_WINDOW = 2;
/**
 * Returns in a window by default (a year) and at most: ten years of days, a year of hours (the
 * OHLCV read side's page is 10,000 candles).
 */
export const WINDOWS: Readonly<Record<RiskInterval, { readonly default: number; readonly max: number }>> = {
  '1d': { default: 365, max: 3_650 },
  '1h': { default: 8_760, max: 8_760 },
};
export const DEFAULT_WINDOW = WINDOWS['1d'].default;

export interface RiskDefinitions {
  /** Bar of the closes: `1d` = UTC days. */
  readonly interval: RiskInterval;
  /** Returns asked for, ending at the as-of bar (fewer when bars are missing: see `observations`). */
  readonly window: number;
  readonly annualisation: number;
  /** Annual risk-free rate; per period it is riskFree / annualisation. */
  readonly riskFree: number;
  readonly returns: 'simple: r_t = C_t / C_{t-1} - 1, C = close of the bar; only between consecutive bars';
  readonly volatility: 'std(r, ddof=1) * sqrt(annualisation)';
  readonly sharpe: '(mean(r) - rf/annualisation) / std(r, ddof=1) * sqrt(annualisation)';
  readonly sortino: '(mean(r) - rf/annualisation) / sqrt(mean(min(r, 0)^2)) * sqrt(annualisation)';
  readonly maxDrawdown: 'min_t V_t / max_{s<=t} V_s - 1, V_0 = 1, V_t = prod(1 + r)';
  readonly historicalVar: '-quantile(r, 1 - alpha), linear interpolation (numpy default)';
  readonly historicalCvar: '-mean(r where r <= -VaR_alpha)';
  readonly parametricVar: '-(mean(r) + std(r, ddof=1) * inverse normal cdf(1 - alpha))';
}

export const riskDefinitions = (interval: RiskInterval, window: number, riskFree = 0): RiskDefinitions => ({
  interval,
  window,
  annualisation: ANNUALISATION[interval],
  riskFree,
  returns: 'simple: r_t = C_t / C_{t-1} - 1, C = close of the bar; only between consecutive bars',
  volatility: 'std(r, ddof=1) * sqrt(annualisation)',
  sharpe: '(mean(r) - rf/annualisation) / std(r, ddof=1) * sqrt(annualisation)',
  sortino: '(mean(r) - rf/annualisation) / sqrt(mean(min(r, 0)^2)) * sqrt(annualisation)',
  maxDrawdown: 'min_t V_t / max_{s<=t} V_s - 1, V_0 = 1, V_t = prod(1 + r)',
  historicalVar: '-quantile(r, 1 - alpha), linear interpolation (numpy default)',
  historicalCvar: '-mean(r where r <= -VaR_alpha)',
  parametricVar: '-(mean(r) + std(r, ddof=1) * inverse normal cdf(1 - alpha))',
});

/** The last UTC day that has ended (its start): the default as-of day. */
export const lastCompleteDay = (now: number): number => bucketStart(now, '1d') - DAY_MS;
