/**
 * The analytics routes' query values (symbols, top, window, method, threshold); asOf is the risk
 * routes' (riskParams.ts). Every refusal names what is accepted.
 */
import { CORRELATION_METHODS, CORRELATION_WINDOWS, DEFAULT_THRESHOLD, type CorrelationMethod, type CorrelationWindow } from '../../domain/analytics/definitions.js';
import { InvalidInputError } from '../../domain/errors.js';
import { describeValue } from '../../domain/validation.js';
import { parseInteger, parseSymbol } from './params.js';

/** Symbols one matrix may hold: the nightly pass's scale. */
export const MAX_SYMBOLS = 1_000;
export const DEFAULT_TOP = 100;

/** A comma-separated list of 2 … MAX_SYMBOLS distinct symbols, or null (absent: the top by volume). */
export const parseSymbolList = (raw: string | undefined): string[] | null => {
  if (raw === undefined || raw === '') return null;
  const symbols = [...new Set(raw.split(',').map((s) => parseSymbol(s.trim())))];
  if (symbols.length < 2 || symbols.length > MAX_SYMBOLS) {
    throw new InvalidInputError(`symbols: expected 2 to ${MAX_SYMBOLS} distinct comma-separated symbols (BTC-USDT,ETH-USDT), got ${symbols.length}`);
  }
  return symbols;
};

export const parseTop = (raw: string | undefined): number => parseInteger(raw, 'top (symbols by quote volume)', { min: 2, max: MAX_SYMBOLS }, DEFAULT_TOP)!;

/** `30`, `90`, `365` (days, with or without the `d`) or `24h` (the as-of day's 1m returns); default 365 days. */
export const parseCorrelationWindow = (raw: string | undefined): CorrelationWindow => {
  if (raw === undefined || raw === '') return '365d';
  const w = /^\d+$/.test(raw) ? `${raw}d` : raw;
  if ((CORRELATION_WINDOWS as readonly string[]).includes(w)) return w as CorrelationWindow;
  throw new InvalidInputError(`window: expected 30, 90 or 365 (days of daily returns) or 24h (the as-of day's 1m returns), got ${describeValue(raw)}`);
};

export const parseCorrelationMethod = (raw: string | undefined): CorrelationMethod => {
  if (raw === undefined || raw === '') return 'pearson';
  if ((CORRELATION_METHODS as readonly string[]).includes(raw)) return raw as CorrelationMethod;
  throw new InvalidInputError(`method: expected pearson or spearman, got ${describeValue(raw)}`);
};

export const parseThreshold = (raw: string | undefined): number => {
  if (raw === undefined || raw === '') return DEFAULT_THRESHOLD;
  const t = /^[0-9.]+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(t >= 0 && t <= 1)) throw new InvalidInputError(`threshold: expected |rho| from 0 to 1 (an edge where |rho| >= threshold), got ${describeValue(raw)}`);
  return t;
};
