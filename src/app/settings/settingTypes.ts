/**
 * The kinds of value a setting can hold. Each kind knows, once, how to validate a value (from a
 * JSON config file, as is), how to read one from the text of a flag or an environment variable,
 * how to write one back as such text (defaults in --help and the README), and how to say in words
 * which values are valid (the end of every error about the setting). The settings table
 * (settings.ts) gives every setting one of these; nothing else validates settings.
 */
import { MarketSymbolCodec } from '../../domain/validation.js';

interface Kind<A> {
  /** True for exactly the valid values (a config file's JSON value is given as is). */
  accepts(u: unknown): u is A;
  /** The valid values in words, e.g. "an integer from 0 to 65535". */
  readonly range: string;
  /** Flag or environment text → the value to validate; text that cannot be read is passed on unchanged, for `accepts` to refuse. */
  fromText(text: string): unknown;
  /** A valid value → the flag or environment text that reads back as it. */
  toText(value: A): string;
}

/** Text that is a number in JavaScript's reading ("8080", "1e3", " 5 ") becomes that number; other text stays text. */
const numberFromText = (text: string): unknown => (text.trim() !== '' && !Number.isNaN(Number(text)) ? Number(text) : text);

export interface IntegerKind extends Kind<number> {
  readonly kind: 'integer';
  readonly min: number;
  readonly max: number;
}
/** An integer in [min, max]. */
export const integer = (min: number, max: number = Number.MAX_SAFE_INTEGER, why = ''): IntegerKind => ({
  kind: 'integer',
  min,
  max,
  accepts: (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max,
  range: `${max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`}${why}`,
  fromText: numberFromText,
  toText: String,
});

/** The longest delay a Node timer honours (2^31 - 1 ms, about 24.8 days); a longer one fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;
/** A delay in milliseconds that a timer waits for. */
export const timerMs = (min: number): IntegerKind => integer(min, MAX_TIMER_MS, " (milliseconds; Node's longest timer)");

export interface NumberKind extends Kind<number> {
  readonly kind: 'number';
  readonly min: number;
}
/** A finite number ≥ min (fractions allowed). */
export const finiteNumber = (min = -Number.MAX_VALUE): NumberKind => ({
  kind: 'number',
  min,
  accepts: (u): u is number => typeof u === 'number' && Number.isFinite(u) && u >= min,
  range: min === -Number.MAX_VALUE ? 'a finite number' : `a finite number ≥ ${min}`,
  fromText: numberFromText,
  toText: String,
});

export interface OneOfKind<V extends string> extends Kind<V> {
  readonly kind: 'oneOf';
  readonly values: readonly V[];
}
/** One word of a fixed set. */
export const oneOf = <const V extends string>(values: readonly V[]): OneOfKind<V> => ({
  kind: 'oneOf',
  values,
  accepts: (u): u is V => typeof u === 'string' && (values as readonly string[]).includes(u),
  range: `one of ${values.join(', ')}`,
  fromText: (text) => text,
  toText: (value) => value,
});

export interface TextKind extends Kind<string> {
  readonly kind: 'text';
}
/** Any text, '' included. */
export const text = (): TextKind => ({
  kind: 'text',
  accepts: (u): u is string => typeof u === 'string',
  range: 'any text',
  fromText: (x) => x,
  toText: (value) => value,
});

export interface MatchingKind extends Kind<string> {
  readonly kind: 'matching';
  readonly pattern: RegExp;
}
/** Text the whole of which matches `pattern` (anchor it with ^...$). */
export const matching = (pattern: RegExp, range: string): MatchingKind => ({
  kind: 'matching',
  pattern,
  accepts: (u): u is string => typeof u === 'string' && pattern.test(u),
  range,
  fromText: (x) => x,
  toText: (value) => value,
});

export interface ListOfKind extends Kind<string> {
  readonly kind: 'listOf';
  readonly values: readonly string[];
}
/** One or more words of a fixed set, comma-separated, kept as the text (e.g. "binance,coinbase"). */
export const listOf = (values: readonly string[]): ListOfKind => ({
  kind: 'listOf',
  values,
  accepts: (u): u is string => typeof u === 'string' && u.split(',').every((s) => values.includes(s.trim())),
  range: `one or more of ${values.join(', ')}, comma-separated`,
  fromText: (x) => x,
  toText: (value) => value,
});

export interface PathsKind extends Kind<string[]> {
  readonly kind: 'paths';
}
/** File paths: a JSON array in a config file, comma-separated text in a flag or variable. */
export const paths = (): PathsKind => ({
  kind: 'paths',
  accepts: (u): u is string[] => Array.isArray(u) && u.every((p) => typeof p === 'string'),
  range: 'file paths, comma-separated (a JSON array of strings in a config file)',
  fromText: (x) => x.split(',').filter((p) => p !== ''),
  toText: (value) => value.join(','),
});

export type SymbolsValue = number | 'all-usdt' | 'all-usd' | string[];
export interface SymbolsKind extends Kind<SymbolsValue> {
  readonly kind: 'symbols';
}
const ALL = ['all-usdt', 'all-usd'];
/**
 * The simulator's symbol count, or the live sources' symbols: a BASE-QUOTE list, all-usdt or
 * all-usd (every pair quoted in USDT or USD that each exchange lists), or per exchange: one of
 * `exchanges` and a colon start that exchange's part, which runs to the next name
 * (`okx:BTC-USDT,ETH-USDT,kraken:all-usd`). Kept as a list whose entries each name their exchange.
 */
export const symbols = (exchanges: readonly string[]): SymbolsKind => {
  /** `BTC-USDT`, or for one exchange only `okx:BTC-USDT` / `okx:all-usdt`. */
  const isSymbolEntry = (s: unknown): boolean => {
    if (typeof s !== 'string') return false;
    const colon = s.indexOf(':');
    if (colon < 0) return MarketSymbolCodec.is(s);
    const what = s.slice(colon + 1);
    return exchanges.includes(s.slice(0, colon)) && (MarketSymbolCodec.is(what) || ALL.includes(what));
  };
  const isList = (u: unknown): u is string[] => Array.isArray(u) && u.length > 0 && u.every(isSymbolEntry);
  return {
    kind: 'symbols',
    accepts: (u): u is SymbolsValue => (typeof u === 'number' && Number.isInteger(u) && u >= 1) || u === 'all-usdt' || u === 'all-usd' || isList(u),
    range: `a count ≥ 1 (simulator), all-usdt, all-usd, or BASE-QUOTE symbols in upper case, comma-separated (BTC-USDT,ETH-USDT), per exchange after its name and a colon (okx:BTC-USDT,ETH-USDT,kraken:all-usd; exchanges: ${exchanges.join(', ')}; a JSON array in a config file)`,
    fromText: (x) => {
      const n = numberFromText(x);
      if (typeof n === 'number' || ALL.includes(x)) return n;
      let exchange = '';
      return x.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => {
        const colon = s.indexOf(':');
        if (colon >= 0) {
          exchange = s.slice(0, colon);
          return s;
        }
        return exchange === '' ? s : `${exchange}:${s}`;
      });
    },
    toText: (value) => (Array.isArray(value) ? value.join(',') : String(value)),
  };
};

/** Every kind, for code that treats each one in turn (tests, docs). */
export type SettingKind = IntegerKind | NumberKind | OneOfKind<string> | TextKind | MatchingKind | ListOfKind | PathsKind | SymbolsKind;
/** The value type a kind holds. */
export type ValueOf<K> = K extends Kind<infer A> ? A : never;
