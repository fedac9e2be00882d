/** The risk routes' query values (asOf, window, days, method, riskFree), with messages naming the valid ranges. */
import { InvalidInputError } from '../../domain/errors.js';
import { lastCompleteDay, MIN_WINDOW, WINDOWS, type RiskInterval } from '../../domain/risk/definitions.js';
import type { VarMethod } from '../../domain/risk/varBacktest.js';
import { parseUtcDay, utcDay } from '../../domain/time.js';

/** Earliest as-of day: the first day of the ledger's plausible event times (domain/time.ts). */
const FIRST_DAY = Date.UTC(2009, 0, 1);

export const parseAsOfDay = (raw: string | undefined, now: number): number => {
  const last = lastCompleteDay(now);
  if (raw === undefined || raw === '') return last;
  const t = parseUtcDay(raw);
  if (t === undefined || t < FIRST_DAY || t > last) {
    throw new InvalidInputError(`asOf: expected a complete UTC day yyyy-mm-dd from ${utcDay(FIRST_DAY)} to ${utcDay(last)}, got "${raw}"`);
  }
  return t;
};

const parseCount = (raw: string | undefined, name: string, fallback: number, min: number, max: number, unit: string): number => {
  if (raw === undefined || raw === '') return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= min && n <= max)) throw new InvalidInputError(`${name}: expected a whole number of ${unit} from ${min} to ${max}, got "${raw}"`);
  return n;
};

const BAR_NAMES: Record<RiskInterval, string> = { '1d': 'daily returns', '1h': 'hourly returns' };

export const parseWindow = (raw: string | undefined, interval: RiskInterval): number =>
  parseCount(raw, 'window', WINDOWS[interval].default, MIN_WINDOW, WINDOWS[interval].max, BAR_NAMES[interval]);

export const parseRiskInterval = (raw: string | undefined): RiskInterval => {
  if (raw === undefined || raw === '' || raw === '1d') return '1d';
  if (raw === '1h') return '1h';
  throw new InvalidInputError(`interval: expected 1d (daily returns, annualised by 365) or 1h (hourly, by 8760), got "${raw}"`);
};

/** Days a VaR backtest tests: with the longest window, one read stays under the OHLCV page of 10,000 candles. */
export const MAX_BACKTEST_DAYS = 3_650;
export const DEFAULT_BACKTEST_DAYS = 250;
export const parseBacktestDays = (raw: string | undefined): number => parseCount(raw, 'days', DEFAULT_BACKTEST_DAYS, 1, MAX_BACKTEST_DAYS, 'days');

export const parseVarMethod = (raw: string | undefined): VarMethod => {
  if (raw === undefined || raw === '' || raw === 'historical') return 'historical';
  if (raw === 'parametric') return 'parametric';
  throw new InvalidInputError(`method: expected historical or parametric, got "${raw}"`);
};

/** Annual risk-free rate, as a fraction (0.04 = 4%). */
export const parseRiskFree = (raw: string | undefined): number => {
  if (raw === undefined || raw === '') return 0;
  const r = Number(raw);
  if (!Number.isFinite(r) || r < -1 || r > 1) throw new InvalidInputError(`riskFree: expected an annual rate from -1 to 1 (0.04 = 4%), got "${raw}"`);
  return r;
};
