/**
 * Values for any setting, valid and invalid, chosen by its kind's parameters (bounds, words,
 * pattern) rather than by its `accepts`, so the tests do not grade the validator with itself.
 * A kind added without arbitraries here fails to compile (the switch is exhaustive).
 */
import fc from 'fast-check';
import type { SettingKind } from '../../src/app/settings/settingTypes.js';

export interface SettingArbitraries {
  /** Valid values (as a config file would hold them). */
  readonly valid: fc.Arbitrary<unknown>;
  /** Flag or environment text that must be refused; undefined where every text is valid (free text, paths). */
  readonly invalidText: fc.Arbitrary<string> | undefined;
  /** Config-file JSON values that must be refused. */
  readonly invalidJson: fc.Arbitrary<unknown>;
}

/** Text that JavaScript does not read as a number. */
const notNumeric = fc.string({ minLength: 1 }).filter((s) => s.trim() === '' || Number.isNaN(Number(s)));
/** JSON values of another type than a string. */
const notString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.constant({}));
/** Not -0: it is written "0", which reads back as 0. */
const noNegativeZero = (x: number): number => (Object.is(x, -0) ? 0 : x);

const symbol = fc.tuple(fc.stringMatching(/^[A-Z0-9]{1,20}$/), fc.stringMatching(/^[A-Z0-9]{1,20}$/)).map(([b, q]) => `${b}-${q}`);

export const settingArbitraries = (kind: SettingKind): SettingArbitraries => {
  switch (kind.kind) {
    case 'integer': {
      const outside = [
        ...(kind.min > Number.MIN_SAFE_INTEGER ? [fc.integer({ min: Number.MIN_SAFE_INTEGER, max: kind.min - 1 })] : []),
        ...(kind.max < Number.MAX_SAFE_INTEGER ? [fc.integer({ min: kind.max + 1, max: Number.MAX_SAFE_INTEGER })] : []),
        fc.double({ min: kind.min, max: kind.max, noNaN: true }).filter((x) => !Number.isInteger(x)),
      ];
      return {
        valid: fc.integer({ min: kind.min, max: kind.max }),
        invalidText: fc.oneof(...outside.map((a) => a.map(String)), notNumeric, fc.constantFrom('Infinity', 'NaN')),
        invalidJson: fc.oneof(...outside, fc.integer({ min: kind.min, max: kind.max }).map(String), fc.boolean(), fc.constant(null)),
      };
    }
    case 'number': {
      const below = kind.min > -Number.MAX_VALUE ? [fc.double({ max: kind.min, maxExcluded: true, noNaN: true, noDefaultInfinity: true }).filter((x) => x < kind.min)] : [];
      return {
        valid: fc.double({ min: kind.min, max: Number.MAX_VALUE, noNaN: true }).map(noNegativeZero),
        invalidText: fc.oneof(...below.map((a) => a.map(String)), notNumeric, fc.constantFrom('Infinity', '-Infinity', 'NaN')),
        invalidJson: fc.oneof(...below, fc.double({ min: kind.min, max: Number.MAX_VALUE, noNaN: true }).map(String), fc.boolean(), fc.constant(null)),
      };
    }
    case 'oneOf':
      return {
        valid: fc.constantFrom(...kind.values),
        invalidText: fc.string({ minLength: 1 }).filter((s) => !kind.values.includes(s)),
        invalidJson: fc.oneof(notString, fc.constantFrom(...kind.values).map((v) => v.toUpperCase() + 'x')),
      };
    case 'text':
      return { valid: fc.string(), invalidText: undefined, invalidJson: notString };
    case 'matching':
      return {
        valid: fc.stringMatching(kind.pattern),
        invalidText: fc.string({ minLength: 1 }).filter((s) => !kind.pattern.test(s)),
        invalidJson: notString,
      };
    case 'listOf': {
      const valid = fc.uniqueArray(fc.constantFrom(...kind.values), { minLength: 1 }).map((words) => words.join(','));
      const stranger = fc.string({ minLength: 1 }).filter((w) => !w.includes(',') && !kind.values.includes(w.trim()));
      return {
        valid,
        invalidText: fc.tuple(valid, stranger, fc.boolean()).map(([list, w, first]) => (first ? `${w},${list}` : `${list},${w}`)),
        invalidJson: notString,
      };
    }
    case 'paths':
      return {
        valid: fc.array(fc.string({ minLength: 1 }).filter((p) => !p.includes(',')), { minLength: 1, maxLength: 4 }),
        invalidText: undefined,
        invalidJson: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.oneof(fc.integer(), fc.constant(null)), { minLength: 1 })),
      };
    case 'symbols': {
      // Never a number, all-usdt or all-usd, which are valid whole.
      const badSymbol = fc
        .oneof(symbol.map((s) => s.toLowerCase()).filter((s) => /[a-z]/.test(s)), symbol.map((s) => s.replace('-', '')), symbol.map((s) => `${s}-X`))
        .filter((s) => Number.isNaN(Number(s)) && s !== 'all-usdt' && s !== 'all-usd');
      // Per exchange, as the text gives it (okx:BTC-USDT,ETH-USDT,kraken:all-usd) and as it is kept (every entry named).
      const exchange = fc.constantFrom('kraken', 'okx', 'bybit', 'bitfinex');
      const part = fc.tuple(exchange, fc.oneof(fc.array(symbol, { minLength: 1, maxLength: 3 }), fc.constantFrom(['all-usd'], ['all-usdt'])));
      const perExchange = fc.array(part, { minLength: 1, maxLength: 3 }).map((parts) => parts.flatMap(([x, list]) => list.map((s) => `${x}:${s}`)));
      const badPart = fc.oneof(
        symbol.map((s) => `krakn:${s}`),
        symbol.map((s) => `OKX:${s}`),
        fc.constant('okx:'),
        fc.constant('okx:all-usdc'),
        badSymbol.map((s) => `okx:${s}`),
      );
      return {
        valid: fc.oneof(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom('all-usdt', 'all-usd'), fc.array(symbol, { minLength: 1, maxLength: 5 }), perExchange),
        invalidText: fc.oneof(fc.integer({ min: -1000, max: 0 }).map(String), fc.tuple(fc.array(symbol, { maxLength: 3 }), fc.oneof(badSymbol, badPart)).map(([ok, bad]) => [...ok, bad].join(','))),
        invalidJson: fc.oneof(fc.integer({ min: -1000, max: 0 }), fc.constant([]), fc.constant('ALL-USDT'), fc.tuple(fc.array(symbol, { maxLength: 3 }), fc.oneof(badSymbol, badPart)).map(([ok, bad]) => [...ok, bad])),
      };
    }
  }
};
