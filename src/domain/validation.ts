/**
 * io-ts helpers shared by every codec: refinements for our value types, and a reporter that
 * turns io-ts errors into one readable sentence ("data.price: expected a decimal string, got \"-1\"").
 */
import * as t from 'io-ts';
import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import { isDecimalString } from './decimal.js';
import { isExchangeId, isMarketSymbol } from './symbol.js';
import { MAX_EVENT_TIME, MIN_EVENT_TIME, isInterval, type Interval } from './time.js';

const refined = <A>(name: string, is: (u: unknown) => u is A): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c)), t.identity);

export const DecimalString = refined(
  'a decimal string like "123.45"',
  (u): u is string => typeof u === 'string' && isDecimalString(u),
);
export const PositiveDecimalString = refined(
  'a positive decimal string like "0.01"',
  (u): u is string => typeof u === 'string' && isDecimalString(u) && /[1-9]/.test(u),
);
export const MarketSymbolCodec = refined(
  'a symbol BASE-QUOTE in upper case, like "BTC-USDT"',
  (u): u is string => typeof u === 'string' && isMarketSymbol(u),
);
export const ExchangeIdCodec = refined(
  'a lower-case exchange id, like "binance"',
  (u): u is string => typeof u === 'string' && isExchangeId(u),
);
export const EventTime = refined(
  'epoch milliseconds between 2009 and 2100',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= MIN_EVENT_TIME && u < MAX_EVENT_TIME,
);
export const Sha256Hex = refined('a SHA-256 in 64 lower-case hex digits', (u): u is string => typeof u === 'string' && /^[0-9a-f]{64}$/.test(u));
export const NonEmptyString = refined(
  'a non-empty string of at most 256 characters',
  (u): u is string => typeof u === 'string' && u.length > 0 && u.length <= 256,
);
/**
 * An object keyed by symbols: io-ts's t.record with a refined key codec drops the keys that fail
 * it, so a misspelt symbol would vanish from a portfolio; this refuses the object instead.
 */
export const symbolRecord = <C extends t.Mixed>(values: C, valuesName: string): t.Type<Record<string, t.TypeOf<C>>, Record<string, t.TypeOf<C>>, unknown> => {
  const record = t.record(t.string, values);
  const name = `an object of symbols BASE-QUOTE (like "BTC-USDT") to ${valuesName}`;
  return new t.Type(
    name,
    (u): u is Record<string, t.TypeOf<C>> => record.is(u) && Object.keys(u).every(isMarketSymbol),
    (u, c) => {
      const v = record.validate(u, c);
      if (isLeft(v)) return v;
      return Object.keys(v.right).every(isMarketSymbol) ? t.success(v.right) : t.failure(u, c);
    },
    t.identity,
  );
};
export const IntervalCodec = refined('one of 1m, 5m, 1h, 1d', (u): u is Interval => typeof u === 'string' && isInterval(u));
export const NonNegativeInt = refined(
  'a non-negative integer',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0,
);

/** Text as an error message may show it: a short prefix, so a huge input is never echoed whole. */
export const clipText = (s: string, max = 60): string => (s.length > max ? `${s.slice(0, max - 3)}...` : s);

/** A value as an error message may show it: JSON, clipped. */
export const describeValue = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return clipText(s);
};

/** One sentence per failing path, joined; the first few only. */
export const formatValidationErrors = (errors: t.Errors, root = ''): string => {
  const lines = new Set<string>();
  for (const e of errors) {
    const path = [root, ...e.context.map((c) => c.key).filter((k) => k !== '')].filter((k) => k !== '').join('.');
    const expected = e.context[e.context.length - 1]?.type.name ?? 'a valid value';
    lines.add(`${path === '' ? 'value' : path}: expected ${expected}, got ${describeValue(e.value)}`);
    if (lines.size >= 3) break;
  }
  return [...lines].join('; ');
};

export type Validated<A> = { ok: true; value: A } | { ok: false; reason: string };

export const validate = <A>(codec: t.Decoder<unknown, A>, input: unknown, root = ''): Validated<A> => {
  const result: Either<t.Errors, A> = codec.decode(input);
  return isLeft(result) ? { ok: false, reason: formatValidationErrors(result.left, root) } : { ok: true, value: result.right };
};
