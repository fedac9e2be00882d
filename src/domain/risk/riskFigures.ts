/** The risk figures of one window of returns, by the definitions in definitions.ts. */
import { VAR_LEVELS, type RiskDefinitions, type VarLevel } from './definitions.js';
import { maxDrawdown } from './drawdown.js';
import { downsideDeviation, mean, sampleStd } from './moments.js';
import { normalQuantile } from './normal.js';
import { ascending, linearQuantile } from './quantile.js';

/** Losses are positive numbers. A figure the window cannot define (too few returns, no spread) is null. */
export interface VarFigures {
  readonly historicalVar: number | null;
  readonly historicalCvar: number | null;
  readonly parametricVar: number | null;
}

export interface RiskFigures {
  readonly observations: number;
  readonly meanReturn: number | null;
  readonly volatility: number | null;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly maxDrawdown: number | null;
  readonly var: Readonly<Record<`${VarLevel}`, VarFigures>>;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** −quantile(r, 1 − α), linear: `sorted` ascending. */
export const historicalVar = (sorted: readonly number[], level: number): number => -linearQuantile(sorted, 1 - level);

/** −mean of the returns at or below −VaR_α. The smallest return always is, so the mean exists. */
export const historicalCvar = (sorted: readonly number[], level: number): number => {
  const cut = -historicalVar(sorted, level);
  let sum = 0;
  let n = 0;
  for (const r of sorted) {
    if (r > cut) break;
    sum += r;
    n++;
  }
  return n === 0 ? Number.NaN : -(sum / n);
};

/** −(mean + std·Φ⁻¹(1 − α)): the loss a normal distribution of the same mean and spread exceeds with probability 1 − α. */
export const parametricVar = (returns: readonly number[], level: number): number => -(mean(returns) + sampleStd(returns) * normalQuantile(1 - level));

const varFigures = (returns: readonly number[], sorted: readonly number[], level: number): VarFigures =>
  returns.length === 0
    ? { historicalVar: null, historicalCvar: null, parametricVar: null }
    : {
        historicalVar: finite(historicalVar(sorted, level)),
        historicalCvar: finite(historicalCvar(sorted, level)),
        parametricVar: finite(parametricVar(returns, level)),
      };

export const riskFigures = (returns: readonly number[], defs: Pick<RiskDefinitions, 'annualisation' | 'riskFree'>): RiskFigures => {
  const sorted = ascending(returns);
  const root = Math.sqrt(defs.annualisation);
  const m = mean(returns);
  const sd = sampleStd(returns);
  const excess = m - defs.riskFree / defs.annualisation;
  const downside = downsideDeviation(returns);
  const empty = returns.length === 0;
  return {
    observations: returns.length,
    meanReturn: finite(m),
    volatility: finite(sd * root),
    sharpe: sd > 0 ? finite((excess / sd) * root) : null,
    sortino: downside > 0 ? finite((excess / downside) * root) : null,
    maxDrawdown: empty ? null : maxDrawdown(returns),
    var: Object.fromEntries(VAR_LEVELS.map((level) => [`${level}`, varFigures(returns, sorted, level)])) as RiskFigures['var'],
  };
};
