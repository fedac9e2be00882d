/**
 * Every setting of the table, through each of its sources: a valid value given by flag, by
 * environment variable or by config file loads as that value; an invalid one is refused with a
 * message naming the setting, the source, the value and the valid values. Then precedence
 * (defaults < file < environment < flags) and the checks of settings that go together.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfig, type ConfigSources } from '../../src/app/config.js';
import { SETTING_LIST, type SettingName, type SettingSpec } from '../../src/app/settings/settings.js';
import { InvalidInputError } from '../../src/domain/errors.js';
import { settingArbitraries } from '../support/settingArbitraries.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tickvault-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const configFile = (settings: Record<string, unknown>): string => {
  const file = path.join(dir, `config-${files++}.json`);
  writeFileSync(file, JSON.stringify(settings));
  return file;
};

/** Settings under every case, so the combination checks pass whatever one setting holds (replay has files, sentiment a feed, a symbol list no simulator, a list of roles the cluster profile). */
const BASE = { profile: 'cluster', source: 'none', files: ['base.csv'], sentimentFeed: 'base.jsonl' };

type Via = 'flag' | 'env' | 'file';
/** `value`, written for `via`, on top of BASE (given as a file beneath, or in the same file). */
const sourcesGiving = (name: SettingName, spec: SettingSpec, via: Via, written: unknown): ConfigSources => {
  if (via === 'file') return { file: configFile({ ...BASE, [name]: written }), env: {}, flags: {} };
  const file = configFile(BASE);
  if (via === 'env') return { file, env: { [spec.env!]: written as string }, flags: {} };
  return { file, env: {}, flags: { [name]: written as string } };
};
const sourceName = (spec: SettingSpec, via: Via, sources: ConfigSources): string =>
  via === 'flag' ? `flag --${spec.flag}` : via === 'env' ? `environment variable ${spec.env}` : `config file ${sources.file}`;

const refusal = (sources: ConfigSources): InvalidInputError => {
  try {
    loadConfig(sources);
  } catch (e) {
    if (e instanceof InvalidInputError) return e;
    throw e;
  }
  throw new Error('loadConfig accepted it');
};

const text = (spec: SettingSpec, value: unknown): string => spec.kind.toText(value as never);

describe('every setting, from every source', () => {
  for (const [name, spec] of SETTING_LIST) {
    const arbs = settingArbitraries(spec.kind);
    const vias: Via[] = spec.env === undefined ? ['flag', 'file'] : ['flag', 'env', 'file'];
    describe(`${name} (--${spec.flag}${spec.env === undefined ? '' : `, ${spec.env}`})`, () => {
      for (const via of vias) {
        it(`loads a valid value given by ${via}`, () => {
          // An empty variable counts as unset: its case is below.
          const valid = via === 'env' ? arbs.valid.filter((v) => text(spec, v) !== '') : arbs.valid;
          fc.assert(
            fc.property(valid, (value) => {
              const config = loadConfig(sourcesGiving(name, spec, via, via === 'file' ? value : text(spec, value)));
              expect(config[name]).toEqual(value);
            }),
            { numRuns: 50 },
          );
        });
        const invalid = via === 'file' ? arbs.invalidJson : arbs.invalidText;
        if (invalid === undefined) continue; // free text and paths: every text is a valid value
        it(`refuses an invalid value given by ${via}, naming the setting, the ${via}, the value and the valid values`, () => {
          fc.assert(
            fc.property(invalid, (bad: unknown) => {
              const sources = sourcesGiving(name, spec, via, bad);
              const { reason } = refusal(sources);
              expect(reason).toContain(`setting ${name} from ${sourceName(spec, via, sources)}: got `);
              const written = JSON.stringify(bad);
              if (written.length <= 57) expect(reason).toContain(`got ${written},`);
              expect(reason).toContain(`expected ${spec.kind.range}`);
            }),
            { numRuns: 50 },
          );
        });
      }
    });
  }
});

describe('loadConfig', () => {
  it('gives every default when nothing is set', () => {
    expect(loadConfig({ env: {}, flags: {} })).toEqual(DEFAULT_CONFIG);
  });

  it('takes defaults < file < environment < flags, per setting', () => {
    const layers = fc.record({ file: fc.option(fc.integer({ min: 1, max: 65535 })), env: fc.option(fc.integer({ min: 1, max: 65535 })), flag: fc.option(fc.integer({ min: 1, max: 65535 })) });
    fc.assert(
      fc.property(layers, ({ file, env, flag }) => {
        const config = loadConfig({
          file: file === null ? undefined : configFile({ port: file }),
          env: env === null ? {} : { PORT: String(env) },
          flags: flag === null ? {} : { port: String(flag) },
        });
        expect(config.port).toBe(flag ?? env ?? file ?? DEFAULT_CONFIG.port);
      }),
      { numRuns: 30 },
    );
  });

  it('reads the config file from TICKVAULT_CONFIG when --config is not given, and --config wins', () => {
    const a = configFile({ port: 1111 });
    const b = configFile({ port: 2222 });
    expect(loadConfig({ env: { TICKVAULT_CONFIG: a }, flags: {} }).port).toBe(1111);
    expect(loadConfig({ file: b, env: { TICKVAULT_CONFIG: a }, flags: {} }).port).toBe(2222);
  });

  it('counts an empty environment variable as unset, and an empty flag as given', () => {
    expect(loadConfig({ env: { TICKVAULT_REDIS_PREFIX: '' }, flags: {} }).redisPrefix).toBe('tv:');
    expect(loadConfig({ env: {}, flags: { redisPrefix: '' } }).redisPrefix).toBe('');
  });

  it('names every invalid setting at once, one line each', () => {
    const { reason } = refusal({ env: { PORT: 'http' }, flags: { logLevel: 'loud' } });
    expect(reason.split('\n')).toEqual([
      'invalid configuration (2 settings):',
      '  setting port from environment variable PORT: got "http", expected an integer from 0 to 65535',
      '  setting logLevel from flag --log-level: got "loud", expected one of trace, debug, info, warn, error, silent',
    ]);
  });

  it('refuses a config file that is not JSON, not an object, or names an unknown setting, saying which file', () => {
    const notJson = path.join(dir, 'broken.json');
    writeFileSync(notJson, '{ port: 1 ');
    expect(refusal({ file: notJson, env: {}, flags: {} }).reason).toMatch(new RegExp(`^config file ${notJson}: `));
    expect(refusal({ file: configFile([1] as unknown as Record<string, unknown>), env: {}, flags: {} }).reason).toMatch(/expected a JSON object of settings/);
    expect(refusal({ file: configFile({ prot: 1 }), env: {}, flags: {} }).reason).toMatch(/unknown setting "prot" \(known: profile, host, port/);
    expect(refusal({ file: path.join(dir, 'missing.json'), env: {}, flags: {} }).reason).toMatch(/missing\.json: .*ENOENT/);
  });

  it('refuses settings that do not go together, saying what to give', () => {
    expect(refusal({ env: {}, flags: { symbols: 'BTC-USDT' } }).reason).toMatch(/--symbols for the simulator is a count/);
    expect(refusal({ env: {}, flags: { source: 'sentiment' } }).reason).toMatch(/needs --sentiment-feed/);
    expect(refusal({ env: {}, flags: { source: 'replay' } }).reason).toMatch(/needs files: pass them with --files/);
    expect(loadConfig({ env: {}, flags: { source: 'replay', files: 'a.csv,b.csv' } }).files).toEqual(['a.csv', 'b.csv']);
  });

  it('reads --symbols per exchange: a name and a colon start a part that runs to the next name', () => {
    const config = loadConfig({ env: {}, flags: { source: 'okx,kraken,bybit', symbols: 'okx:BTC-USDT,ETH-USDT,kraken:all-usd' } });
    expect(config.symbols).toEqual(['okx:BTC-USDT', 'okx:ETH-USDT', 'kraken:all-usd']);
    expect(loadConfig({ env: { TICKVAULT_SYMBOLS: 'SOL-USDT, bybit:XRP-USDT' }, flags: { source: 'okx,bybit' } }).symbols).toEqual(['SOL-USDT', 'bybit:XRP-USDT']);
  });

  it('refuses a --symbols part for an exchange it does not know, or one --source does not follow, saying what to do', () => {
    expect(refusal({ env: {}, flags: { source: 'kraken', symbols: 'krakn:BTC-USD' } }).reason).toMatch(/setting symbols from flag --symbols: got "krakn:BTC-USD", expected .*exchanges: binance, coinbase, kraken/);
    expect(refusal({ env: {}, flags: { source: 'okx', symbols: 'okx:all-usdc' } }).reason).toMatch(/got "okx:all-usdc", expected/);
    expect(refusal({ env: {}, flags: { source: 'okx,bybit', symbols: 'okx:BTC-USDT,kraken:BTC-USD,gemini:all-usd' } }).reason)
      .toBe('--symbols has a part for kraken, gemini, which --source does not name (it names okx, bybit): add them to --source or drop those parts');
  });
});
