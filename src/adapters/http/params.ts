/** Parsing of path and query values shared by the routes, with messages that say how to fix them. */
import { InvalidInputError } from '../../domain/errors.js';
import { isMarketSymbol } from '../../domain/symbol.js';

export const parseSymbol = (raw: string): string => {
  const s = raw.toUpperCase();
  if (!isMarketSymbol(s)) {
    throw new InvalidInputError(`symbol "${raw}" is not of the form BASE-QUOTE (for example BTC-USDT)`);
  }
  return s;
};

export const parseInstant = (raw: string | undefined, name: string): number | undefined => {
  if (raw === undefined || raw === '') return undefined;
  const t = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (Number.isNaN(t)) throw new InvalidInputError(`${name}: expected epoch milliseconds or an ISO-8601 instant, got "${raw}"`);
  return t;
};

export const iso = (t: number): string | null => (Number.isFinite(t) ? new Date(t).toISOString() : null);
