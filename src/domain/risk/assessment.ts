/**
 * One symbol's risk as of a UTC day: the last `window` returns of daily bars ending at that day
 * (or of hourly bars ending at its last hour), from the candles' closes, and the figures of
 * riskFigures.ts; with the bars that had no close.
 */
import type { RiskAssessedData, SymbolRiskAssessedData } from '../events/risk.js';
import { DAY_MS, INTERVAL_MS, utcDay } from '../time.js';
import { riskDefinitions, type RiskDefinitions, type RiskInterval } from './definitions.js';
import { missingBars, simpleReturns, type BarReturn, type Close } from './returns.js';
import { riskFigures, type RiskFigures } from './riskFigures.js';

export interface RiskAssessment {
  /** yyyy-mm-dd */
  readonly asOf: string;
  readonly definitions: RiskDefinitions;
  readonly returns: readonly BarReturn[];
  /** Bars in the window without a close: yyyy-mm-dd for days, ISO-8601 instants for hours. */
  readonly missingBars: readonly string[];
  readonly figures: RiskFigures;
}

/** The last bar of the as-of day: the day itself, or its last hour. */
export const asOfBar = (asOfDay: number, interval: RiskInterval): number => asOfDay + DAY_MS - INTERVAL_MS[interval];

/** The first bar whose close a window of `window` returns ending at the as-of day needs. */
export const windowStart = (asOfDay: number, window: number, interval: RiskInterval = '1d'): number =>
  asOfBar(asOfDay, interval) - window * INTERVAL_MS[interval];

const barName = (interval: RiskInterval) => (t: number): string => (interval === '1d' ? utcDay(t) : new Date(t).toISOString());

/** `closes` are `interval` candles in time order; those outside the window are ignored. */
export const assessRisk = (closes: readonly Close[], asOfDay: number, window: number, interval: RiskInterval = '1d', riskFree = 0): RiskAssessment => {
  const from = windowStart(asOfDay, window, interval);
  const last = asOfBar(asOfDay, interval);
  const step = INTERVAL_MS[interval];
  const inWindow = closes.filter((c) => c.time >= from && c.time <= last);
  const definitions = riskDefinitions(interval, window, riskFree);
  const returns = simpleReturns(inWindow, step);
  return {
    asOf: utcDay(asOfDay),
    definitions,
    returns,
    missingBars: missingBars(inWindow, from, last, step).map(barName(interval)),
    figures: riskFigures(returns.map((r) => r.value), definitions),
  };
};

/** The RiskAssessed event's data of an assessment, but for what was assessed (a symbol or a portfolio). */
export const assessedFields = (
  a: Pick<RiskAssessment, 'asOf' | 'definitions' | 'missingBars' | 'figures'>,
  batch: RiskAssessedData['batch'],
): Omit<SymbolRiskAssessedData, 'symbol'> => ({
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
  missingBars: a.missingBars.length,
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

/** The RiskAssessed event's data of a symbol's assessment. */
export const riskAssessedData = (symbol: string, a: RiskAssessment, batch: RiskAssessedData['batch']): SymbolRiskAssessedData => ({
  symbol,
  ...assessedFields(a, batch),
});
