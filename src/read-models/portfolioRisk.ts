/**
 * Portfolio answers from the merged 1d candles (read-models/ohlcv.ts) of its symbols: its risk
 * figures, the backtest of its daily VaR, its stress tests, and the optimiser's inputs and answers
 * for a set of symbols. Each names its definitions and the batch view version the closes came from.
 */
import type { GapSpan } from '../domain/folds/mergeLayers.js';
import type { HoldingsData } from '../domain/events/portfolio.js';
import type { CovarianceEstimator } from '../domain/events/portfolio.js';
import { InvalidInputError } from '../domain/errors.js';
import { windowStart } from '../domain/risk/assessment.js';
import { VAR_LEVELS } from '../domain/risk/definitions.js';
import type { Close } from '../domain/risk/returns.js';
import { varBacktest, type VarBacktest, type VarMethod } from '../domain/risk/varBacktest.js';
import { utcDay } from '../domain/time.js';
import { alignedReturns, type ReturnMatrix } from '../domain/portfolio/alignedReturns.js';
import { ANNUAL_DAYS, COVARIANCE_DEFINITIONS, EXPECTED_RETURNS_DEFINITION, expectedReturns, ledoitWolf, sampleCovariance } from '../domain/portfolio/estimates.js';
import { holdingSymbols } from '../domain/portfolio/holdings.js';
import { checkBounds, efficientFrontier, optimise, type FrontierPoint, type ObjectiveRequest, type Optimised } from '../domain/portfolio/optimiser.js';
import { assessPortfolio, portfolioSeries, REBALANCING, weightsAsOf, type PortfolioAssessment } from '../domain/portfolio/portfolioAssessment.js';
import { historicalScenarios, shockScenario, type HistoricalScenario, type ShockResult } from '../domain/portfolio/stress.js';
import type { QuadraticSolver } from '../domain/ports.js';
import { barCloses, type BatchSource, type OhlcvReader } from './risk.js';

export interface SymbolsProvenance {
  readonly batch: BatchSource | null;
  /** Per symbol, the parts of the range neither layer covers. */
  readonly gaps: Readonly<Record<string, readonly GapSpan[]>>;
  readonly degraded: boolean;
}

/** The daily closes of every symbol from `from` through the as-of day, read side by side. */
export const symbolCloses = async (ohlcv: OhlcvReader, symbols: readonly string[], from: number, asOf: number): Promise<{ closes: Record<string, Close[]> } & SymbolsProvenance> => {
  const answers = await Promise.all(symbols.map((s) => barCloses(ohlcv, s, '1d', from, asOf)));
  return {
    closes: Object.fromEntries(symbols.map((s, i) => [s, answers[i]!.closes])),
    // One batch view holds every symbol's candles: the oldest version read is the one the answer rests on.
    batch: answers.map((a) => a.batch).reduce<BatchSource | null>((old, b) => (b === null ? old : old === null || b.version < old.version ? b : old), null),
    gaps: Object.fromEntries(symbols.flatMap((s, i) => (answers[i]!.gaps.length === 0 ? [] : [[s, answers[i]!.gaps]]))),
    degraded: answers.some((a) => a.degraded),
  };
};

export interface PortfolioRiskQuery {
  readonly portfolioId: string;
  readonly holdings: HoldingsData;
  readonly asOf: number;
  readonly window: number;
  readonly riskFree: number;
}

export interface PortfolioRiskAnswer extends PortfolioAssessment, SymbolsProvenance {
  readonly portfolioId: string;
}

export const queryPortfolioRisk = async (ohlcv: OhlcvReader, q: PortfolioRiskQuery): Promise<PortfolioRiskAnswer> => {
  const { closes, ...provenance } = await symbolCloses(ohlcv, holdingSymbols(q.holdings), windowStart(q.asOf, q.window), q.asOf);
  return { portfolioId: q.portfolioId, ...assessPortfolio(closes, q.holdings, q.asOf, q.window, q.riskFree), ...provenance };
};

export interface PortfolioVarBacktestQuery extends Omit<PortfolioRiskQuery, 'riskFree'> {
  readonly days: number;
  readonly method: VarMethod;
}

export interface PortfolioVarBacktestAnswer extends SymbolsProvenance {
  readonly portfolioId: string;
  readonly asOf: string;
  readonly window: number;
  readonly weights: Readonly<Record<string, number>>;
  readonly rebalancing: typeof REBALANCING;
  readonly missingBars: readonly string[];
  readonly levels: readonly VarBacktest[];
}

export const queryPortfolioVarBacktest = async (ohlcv: OhlcvReader, q: PortfolioVarBacktestQuery): Promise<PortfolioVarBacktestAnswer> => {
  const span = q.window + q.days;
  const { closes, ...provenance } = await symbolCloses(ohlcv, holdingSymbols(q.holdings), windowStart(q.asOf, span), q.asOf);
  const weights = weightsAsOf(q.holdings, closes, q.asOf);
  const { matrix, returns } = portfolioSeries(closes, holdingSymbols(q.holdings), weights, q.asOf, span);
  return {
    portfolioId: q.portfolioId,
    asOf: utcDay(q.asOf),
    window: q.window,
    weights,
    rebalancing: REBALANCING,
    missingBars: matrix.missingBars.map(utcDay),
    levels: VAR_LEVELS.map((level) => varBacktest(returns, q.window, level, q.method)),
    ...provenance,
  };
};

export interface StressQuery extends Omit<PortfolioRiskQuery, 'riskFree'> {
  /** Worst days and worst weeks to name. */
  readonly count: number;
  readonly shocks: Readonly<Record<string, number>> | undefined;
}

export interface StressAnswer extends SymbolsProvenance {
  readonly portfolioId: string;
  readonly asOf: string;
  readonly window: number;
  readonly weights: Readonly<Record<string, number>>;
  readonly rebalancing: typeof REBALANCING;
  readonly observations: number;
  readonly worstDays: readonly HistoricalScenario[];
  readonly worstWeeks: readonly HistoricalScenario[];
  readonly shock: ShockResult | null;
}

export const queryPortfolioStress = async (ohlcv: OhlcvReader, q: StressQuery): Promise<StressAnswer> => {
  const held = holdingSymbols(q.holdings);
  const symbols = [...new Set([...held, ...Object.keys(q.shocks ?? {})])].sort();
  const { closes, ...provenance } = await symbolCloses(ohlcv, symbols, windowStart(q.asOf, q.window), q.asOf);
  const weights = weightsAsOf(q.holdings, closes, q.asOf);
  const heldSeries = portfolioSeries(closes, held, weights, q.asOf, q.window);
  const withShocked = symbols.length === held.length ? heldSeries : portfolioSeries(closes, symbols, weights, q.asOf, q.window);
  return {
    portfolioId: q.portfolioId,
    asOf: utcDay(q.asOf),
    window: q.window,
    weights,
    rebalancing: REBALANCING,
    observations: heldSeries.matrix.rows.length,
    ...historicalScenarios(heldSeries.matrix, heldSeries.vector, q.count),
    shock: q.shocks === undefined ? null : shockScenario(withShocked.matrix, withShocked.vector, q.shocks),
    ...provenance,
  };
};

export interface EstimatesQuery {
  readonly symbols: readonly string[];
  readonly asOf: number;
  readonly window: number;
  readonly covariance: CovarianceEstimator;
  readonly riskFree: number;
  /** [lower, upper] per symbol; [0, 1] for a symbol not named. */
  readonly bounds: Readonly<Record<string, readonly [number, number]>>;
}

export interface Estimates extends SymbolsProvenance {
  readonly asOf: string;
  readonly symbols: readonly string[];
  readonly window: number;
  readonly observations: number;
  readonly missingBars: readonly string[];
  readonly definitions: { readonly expectedReturns: string; readonly covariance: string; readonly annualisation: number };
  readonly covarianceEstimator: CovarianceEstimator;
  readonly shrinkage: number | null;
  readonly riskFree: number;
  readonly mu: readonly number[];
  readonly S: readonly (readonly number[])[];
  readonly bounds: readonly (readonly [number, number])[];
}

/** mu and S of the window's aligned daily returns (estimates.ts), with the bounds checked. */
export const queryEstimates = async (ohlcv: OhlcvReader, q: EstimatesQuery): Promise<Estimates> => {
  const unknown = Object.keys(q.bounds).filter((s) => !q.symbols.includes(s));
  if (unknown.length > 0) throw new InvalidInputError(`bounds: ${unknown.join(', ')} not among the symbols ${q.symbols.join(', ')}`);
  const bounds = q.symbols.map((s) => q.bounds[s] ?? ([0, 1] as const));
  checkBounds(bounds, q.symbols);
  const { closes, ...provenance } = await symbolCloses(ohlcv, q.symbols, windowStart(q.asOf, q.window), q.asOf);
  const matrix: ReturnMatrix = alignedReturns(closes, q.symbols, windowStart(q.asOf, q.window), q.asOf);
  if (matrix.rows.length < 2) {
    throw new InvalidInputError(`window: ${matrix.rows.length} days up to ${utcDay(q.asOf)} have a return of every symbol; estimating a covariance needs at least 2 (choose another asOf or window, or other symbols)`);
  }
  const lw = q.covariance === 'ledoit-wolf' ? ledoitWolf(matrix.rows) : undefined;
  return {
    asOf: utcDay(q.asOf),
    symbols: q.symbols,
    window: q.window,
    observations: matrix.rows.length,
    missingBars: matrix.missingBars.map(utcDay),
    definitions: { expectedReturns: EXPECTED_RETURNS_DEFINITION, covariance: COVARIANCE_DEFINITIONS[q.covariance], annualisation: ANNUAL_DAYS },
    covarianceEstimator: q.covariance,
    shrinkage: lw?.shrinkage ?? null,
    riskFree: q.riskFree,
    mu: expectedReturns(matrix.rows),
    S: lw?.covariance ?? sampleCovariance(matrix.rows),
    bounds,
    ...provenance,
  };
};

const named = (symbols: readonly string[], xs: readonly number[]): Record<string, number> => Object.fromEntries(symbols.map((s, i) => [s, xs[i]!]));

export interface OptimisationAnswer extends Omit<Optimised, 'weights'> {
  readonly weights: Readonly<Record<string, number>>;
  readonly estimates: Estimates;
}

export const queryOptimisation = async (ohlcv: OhlcvReader, q: EstimatesQuery, request: ObjectiveRequest, solve: QuadraticSolver): Promise<OptimisationAnswer> => {
  const estimates = await queryEstimates(ohlcv, q);
  const o = optimise(estimates, request, solve);
  return { ...o, weights: named(q.symbols, o.weights), estimates };
};

export interface FrontierAnswer {
  readonly points: readonly (Omit<FrontierPoint, 'weights'> & { readonly weights: Readonly<Record<string, number>> })[];
  readonly estimates: Estimates;
}

export const queryFrontier = async (ohlcv: OhlcvReader, q: EstimatesQuery, points: number, solve: QuadraticSolver): Promise<FrontierAnswer> => {
  const estimates = await queryEstimates(ohlcv, q);
  return { points: efficientFrontier(estimates, points, solve).map((p) => ({ ...p, weights: named(q.symbols, p.weights) })), estimates };
};

