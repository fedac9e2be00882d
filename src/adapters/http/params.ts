/**
 * Parsing of path, query and body values shared by the routes. Every failure is an
 * InvalidInputError (400) that names the field and what it accepts (ranges included), and shows
 * at most a short prefix of what was sent. The JSON schemas the routes declare bound the size and
 * type of every value first (`text` in schemas/common.ts); the meaning of a value is read here or in the domain.
 */
import { InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { readInstant } from '../../domain/instant.js';
import { isMarketSymbol } from '../../domain/symbol.js';
import { describeValue } from '../../domain/validation.js';

export const parseSymbol = (raw: string): string => {
  const s = raw.toUpperCase();
  if (!isMarketSymbol(s)) throw new InvalidInputError(`symbol ${describeValue(raw)} is not of the form BASE-QUOTE (for example BTC-USDT)`);
  return s;
};

export const parseInstant = (raw: string | undefined, name: string): number | undefined => {
  if (raw === undefined || raw === '') return undefined;
  const t = readInstant(raw, name);
  if (!t.ok) throw new InvalidInputError(t.reason);
  return t.value;
};

/** An integer query value in [min, max]; absent or empty is `fallback`. */
export const parseInteger = (raw: string | undefined, name: string, range: { min: number; max: number }, fallback?: number): number | undefined => {
  if (raw === undefined || raw === '') return fallback;
  const n = /^\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= range.min && n <= range.max)) throw new InvalidInputError(`${name}: expected an integer from ${range.min} to ${range.max}, got ${describeValue(raw)}`);
  return n;
};

/** The well-formed symbols among a body's `symbol` or `symbols` value; the command reports the rest. */
export const wellFormedSymbols = (value: unknown): string[] =>
  (typeof value === 'string' ? [value] : Array.isArray(value) ? value : []).filter((s): s is string => typeof s === 'string' && isMarketSymbol(s));

/**
 * Refuses symbols the platform has never recorded (404): a command about one would otherwise make
 * it appear among the known symbols with nothing behind it. `known` lists what the platform has
 * recorded, as GET /api/v1/symbols shows it; `recorded` says what (trades, or trades or books).
 */
export const requireKnownSymbols = async (symbols: readonly string[], known: () => Promise<readonly string[]>, recorded = 'trades'): Promise<void> => {
  if (symbols.length === 0) return;
  const have = new Set(await known());
  const unknown = symbols.filter((s) => !have.has(s));
  if (unknown.length > 0) {
    throw new NotFoundError(`unknown symbol${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 5).join(', ')}: the platform has recorded no ${recorded} of ${unknown.length > 1 ? 'them' : 'it'}; GET /api/v1/symbols lists the known symbols`);
  }
};

export const iso = (t: number): string | null => (Number.isFinite(t) ? new Date(t).toISOString() : null);
