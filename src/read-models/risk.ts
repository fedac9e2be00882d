/**
 * Risk answers: a symbol's figures as of a UTC day, and the backtest of its daily VaR, computed
 * from the closes of the merged 1d candles (or 1h, for the intraday figures) (batch view ∪ speed layer, read-models/ohlcv.ts). Each
 * answer names the definitions it used and the batch view version the closes came from.
 */
import type { GapSpan } from '../domain/folds/mergeLayers.js';
import { assessRisk, windowStart, type RiskAssessment } from '../domain/risk/assessment.js';
import { VAR_LEVELS, type RiskInterval } from '../domain/risk/definitions.js';
import { simpleReturns, missingBars, type Close } from '../domain/risk/returns.js';
import { varBacktest, type VarBacktest, type VarMethod } from '../domain/risk/varBacktest.js';
import { DAY_MS, utcDay } from '../domain/time.js';
import type { OhlcvAnswer, OhlcvQuery } from './ohlcv.js';

export type OhlcvReader = (q: OhlcvQuery) => Promise<OhlcvAnswer>;

export interface BatchSource {
  readonly view: 'ohlcv';
  readonly version: number;
  readonly computedThrough: number;
}

export interface Provenance {
  readonly batch: BatchSource | null;
  /** Parts of the range neither layer covers (their days are among the missing ones). */
  readonly gaps: readonly GapSpan[];
  /** The batch layer was unavailable: the closes came from the speed layer alone. */
  readonly degraded: boolean;
}

export interface RiskAnswer extends RiskAssessment, Provenance {
  readonly symbol: string;
}

export interface RiskQuery {
  readonly symbol: string;
  /** Start of the as-of UTC day. */
  readonly asOf: number;
  readonly window: number;
  readonly riskFree: number;
  readonly interval: RiskInterval;
}

/** The closes of `interval` candles from `from` to the end of the as-of day. */
export const barCloses = async (ohlcv: OhlcvReader, symbol: string, interval: RiskInterval, from: number, asOf: number): Promise<{ closes: Close[] } & Provenance> => {
  const a = await ohlcv({ symbol, interval, from, to: asOf + DAY_MS });
  return {
    closes: a.candles.map((c) => ({ time: c.time, close: c.close })),
    batch: a.batch === null ? null : { view: 'ohlcv', ...a.batch },
    gaps: a.gaps,
    degraded: a.degraded,
  };
};

export const queryRisk = async (ohlcv: OhlcvReader, q: RiskQuery): Promise<RiskAnswer> => {
  const { closes, ...provenance } = await barCloses(ohlcv, q.symbol, q.interval, windowStart(q.asOf, q.window, q.interval), q.asOf);
  return { symbol: q.symbol, ...assessRisk(closes, q.asOf, q.window, q.interval, q.riskFree), ...provenance };
};

export interface VarBacktestQuery {
  readonly symbol: string;
  readonly asOf: number;
  /** Returns each day's VaR is computed from. */
  readonly window: number;
  /** Days whose VaR is tested against the next day's return; the last realised return is asOf's. */
  readonly days: number;
  readonly method: VarMethod;
}

export interface VarBacktestAnswer extends Provenance {
  readonly symbol: string;
  readonly asOf: string;
  readonly window: number;
  readonly annualisation: 365;
  readonly returns: 'simple: r_t = C_t / C_{t-1} - 1 of consecutive UTC days; a missing day leaves its returns out';
  readonly missingBars: readonly string[];
  readonly levels: readonly VarBacktest[];
}

export const queryVarBacktest = async (ohlcv: OhlcvReader, q: VarBacktestQuery): Promise<VarBacktestAnswer> => {
  const from = q.asOf - (q.window + q.days) * DAY_MS;
  const { closes, ...provenance } = await barCloses(ohlcv, q.symbol, '1d', from, q.asOf);
  const returns = simpleReturns(closes, DAY_MS);
  return {
    symbol: q.symbol,
    asOf: utcDay(q.asOf),
    window: q.window,
    annualisation: 365,
    returns: 'simple: r_t = C_t / C_{t-1} - 1 of consecutive UTC days; a missing day leaves its returns out',
    missingBars: missingBars(closes, from, q.asOf, DAY_MS).map(utcDay),
    levels: VAR_LEVELS.map((level) => varBacktest(returns, q.window, level, q.method)),
    ...provenance,
  };
};
