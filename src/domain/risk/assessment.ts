/**
 * One symbol's risk as of a UTC day: the last `window` daily returns ending at that day, from the
 * closes of the 1d candles, and the figures of riskFigures.ts; with the days that had no close.
 */
import type { RiskAssessedData } from '../events/risk.js';
import { DAY_MS, utcDay } from '../time.js';
import { riskDefinitions, type RiskDefinitions } from './definitions.js';
import { missingBars, simpleReturns, type BarReturn, type Close } from './returns.js';
import { riskFigures, type RiskFigures } from './riskFigures.js';

export interface RiskAssessment {
  /** yyyy-mm-dd */
  readonly asOf: string;
  readonly definitions: RiskDefinitions;
  readonly returns: readonly BarReturn[];
  /** Days in [asOf − window, asOf] without a close (yyyy-mm-dd). */
  readonly missingDays: readonly string[];
  readonly figures: RiskFigures;
}

/** The first day whose close a window of `window` returns ending at `asOfStart` needs. */
export const windowStart = (asOfStart: number, window: number): number => asOfStart - window * DAY_MS;

/** `closes` are 1d candles in time order; those outside [asOf − window, asOf] are ignored. */
export const assessDailyRisk = (closes: readonly Close[], asOfStart: number, window: number, riskFree = 0): RiskAssessment => {
  const from = windowStart(asOfStart, window);
  const inWindow = closes.filter((c) => c.time >= from && c.time <= asOfStart);
  const definitions = riskDefinitions('1d', window, riskFree);
  const returns = simpleReturns(inWindow, DAY_MS);
  return {
    asOf: utcDay(asOfStart),
    definitions,
    returns,
    missingDays: missingBars(inWindow, from, asOfStart, DAY_MS).map(utcDay),
    figures: riskFigures(returns.map((r) => r.value), definitions),
  };
};

/** The RiskAssessed event's data of an assessment. */
export const riskAssessedData = (
  symbol: string,
  a: RiskAssessment,
  batch: RiskAssessedData['batch'],
): RiskAssessedData => ({
  symbol,
  asOf: a.asOf,
  definitions: {
    interval: a.definitions.interval,
    window: a.definitions.window,
    annualisation: a.definitions.annualisation,
    riskFree: a.definitions.riskFree,
    returns: 'simple',
    historicalVar: 'linear-quantile',
    parametricVar: 'normal',
  },
  observations: a.figures.observations,
  missingDays: a.missingDays.length,
  figures: {
    meanReturn: a.figures.meanReturn,
    volatility: a.figures.volatility,
    sharpe: a.figures.sharpe,
    sortino: a.figures.sortino,
    maxDrawdown: a.figures.maxDrawdown,
    var95: a.figures.var['0.95'],
    var99: a.figures.var['0.99'],
  },
  batch,
});
