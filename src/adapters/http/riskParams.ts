/**
 * The risk routes' query values (asOf, window, days, method, interval, riskFree), read with the
 * shared parsing of params.ts; every refusal names the valid range.
 */
import { InvalidInputError } from '../../domain/errors.js';
import { describeValue } from '../../domain/validation.js';
import { parseInteger } from './params.js';
import { lastCompleteDay, MIN_WINDOW, WINDOWS, type RiskInterval } from '../../domain/risk/definitions.js';
import type { VarMethod } from '../../domain/risk/varBacktest.js';
import { MIN_EVENT_TIME, parseUtcDay, utcDay } from '../../domain/time.js';

/** Earliest as-of day: the first day of the ledger's plausible event times. */
const FIRST_DAY = MIN_EVENT_TIME;

export const parseAsOfDay = (raw: string | undefined, now: number): number => {
  const last = lastCompleteDay(now);
  if (raw === undefined || raw === '') return last;
  const t = parseUtcDay(raw);
  // utcDay(t) === raw refuses a day the calendar lacks (2024-02-30), which Date.parse rolls over.
  if (t === undefined || utcDay(t) !== raw || t < FIRST_DAY || t > last) {
    throw new InvalidInputError(`asOf: expected a complete UTC day yyyy-mm-dd from ${utcDay(FIRST_DAY)} to ${utcDay(last)}, got ${describeValue(raw)}`);
  }
  return t;
};

/** Returns in the window: `window (1h returns)` names the unit in a refusal. */
export const parseWindow = (raw: string | undefined, interval: RiskInterval): number =>
  parseInteger(raw, `window (${interval} returns)`, { min: MIN_WINDOW, max: WINDOWS[interval].max }, WINDOWS[interval].default)!;

export const parseRiskInterval = (raw: string | undefined): RiskInterval => {
  if (raw === undefined || raw === '' || raw === '1d') return '1d';
  if (raw === '1h') return '1h';
  throw new InvalidInputError(`interval: expected 1d (daily returns, annualised by 365) or 1h (hourly, by 8760), got ${describeValue(raw)}`);
};

/** Days a VaR backtest tests: with the longest window, one read stays under the OHLCV page of 10,000 candles. */
export const MAX_BACKTEST_DAYS = 3_650;
export const DEFAULT_BACKTEST_DAYS = 250;
export const parseBacktestDays = (raw: string | undefined): number => parseInteger(raw, 'days', { min: 1, max: MAX_BACKTEST_DAYS }, DEFAULT_BACKTEST_DAYS)!;

export const parseVarMethod = (raw: string | undefined): VarMethod => {
  if (raw === undefined || raw === '' || raw === 'historical') return 'historical';
  if (raw === 'parametric') return 'parametric';
  throw new InvalidInputError(`method: expected historical or parametric, got ${describeValue(raw)}`);
};

/** Annual risk-free rate, as a fraction (0.04 = 4%). */
export const parseRiskFree = (raw: string | undefined): number => {
  if (raw === undefined || raw === '') return 0;
  const r = Number(raw);
  if (!Number.isFinite(r) || r < -1 || r > 1) throw new InvalidInputError(`riskFree: expected an annual rate from -1 to 1 (0.04 = 4%), got ${describeValue(raw)}`);
  return r;
};
