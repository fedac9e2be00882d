/**
 * Configuration: defaults < config file (--config / TICKVAULT_CONFIG, JSON) < environment < flags.
 * Every setting comes from the one table in settings/settings.ts. Everything is validated; an
 * invalid setting stops start-up with a message naming the setting, where its value came from,
 * the value and the valid values.
 */
import { readFileSync } from 'node:fs';
import { InvalidInputError } from '../domain/errors.js';
import { rolesOf, runsEveryRole } from './processRoles.js';
import { SETTINGS, SETTING_LIST, SYMBOL_SOURCES, type Config, type SettingName, type SettingSpec } from './settings/settings.js';

export type { Config, SettingName } from './settings/settings.js';
export { SOURCE_NAMES } from './settings/settings.js';

/** The environment variable naming a config file when --config is not given. */
export const CONFIG_FILE_ENV = 'TICKVAULT_CONFIG';

export const DEFAULT_CONFIG: Config = Object.fromEntries(SETTING_LIST.map(([name, spec]) => [name, structuredClone(spec.default)])) as Config;

export interface ConfigSources {
  readonly file?: string;
  /** An empty variable counts as unset. */
  readonly env: Record<string, string | undefined>;
  /** Flag text by setting name, as the command line gave it. */
  readonly flags: Partial<Record<SettingName, string>>;
}

/** The sources `--source` names, in order. */
export const sourceNames = (config: Pick<Config, 'source'>): string[] => config.source.split(',').map((x) => x.trim()).filter((x) => x !== '');

/** A value given for a setting, with where it came from, for errors that point at it. */
interface Given {
  readonly value: unknown;
  /** "flag --port", "environment variable PORT", "config file app.json". */
  readonly from: string;
  /** The value as the user wrote it. */
  readonly written: string;
}

const shorten = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);

const fromFile = (file: string): Array<[SettingName, Given]> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InvalidInputError(`config file ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidInputError(`config file ${file}: expected a JSON object of settings, like {"port": 8081}`);
  }
  return Object.entries(parsed).map(([name, value]) => {
    if (!(name in SETTINGS)) throw new InvalidInputError(`config file ${file}: unknown setting "${shorten(name)}" (known: ${Object.keys(SETTINGS).join(', ')})`);
    return [name as SettingName, { value, from: `config file ${file}`, written: shorten(JSON.stringify(value) ?? String(value)) }];
  });
};

const fromText = (spec: SettingSpec, text: string, from: string): Given => ({ value: spec.kind.fromText(text), from, written: shorten(JSON.stringify(text)) });

export const loadConfig = (sources: ConfigSources): Config => {
  const given = new Map<SettingName, Given>();
  const file = sources.file ?? sources.env[CONFIG_FILE_ENV];
  if (file !== undefined && file !== '') for (const [name, g] of fromFile(file)) given.set(name, g);
  for (const [name, spec] of SETTING_LIST) {
    const text = spec.env === undefined ? undefined : sources.env[spec.env];
    if (text !== undefined && text !== '') given.set(name, fromText(spec, text, `environment variable ${spec.env}`));
  }
  for (const [name, text] of Object.entries(sources.flags) as Array<[SettingName, string | undefined]>) {
    const spec: SettingSpec | undefined = SETTINGS[name];
    if (spec === undefined) throw new InvalidInputError(`unknown setting "${shorten(name)}"`);
    if (text !== undefined) given.set(name, fromText(spec, text, `flag --${spec.flag}`));
  }

  const config: Record<string, unknown> = { ...DEFAULT_CONFIG };
  const errors: string[] = [];
  for (const [name, g] of given) {
    const spec: SettingSpec = SETTINGS[name];
    if (spec.kind.accepts(g.value)) config[name] = g.value;
    else errors.push(`setting ${name} from ${g.from}: got ${g.written}, expected ${spec.kind.range}`);
  }
  if (errors.length === 1) throw new InvalidInputError(`invalid configuration: ${errors[0]}`);
  if (errors.length > 1) throw new InvalidInputError(`invalid configuration (${errors.length} settings):\n  ${errors.join('\n  ')}`);
  return checkCombinations(config as Config);
};

/** Settings that are valid alone but not together. */
const checkCombinations = (config: Config): Config => {
  const roles = rolesOf(config.roles);
  if (config.profile === 'embedded' && !runsEveryRole(roles)) {
    throw new InvalidInputError(`--roles ${config.roles} needs --profile cluster: the embedded profile runs every role in its one process (its ledger file, live store and job queue are that process's own)`);
  }
  const named = sourceNames(config);
  if (named.includes('simulator') && typeof config.symbols !== 'number') {
    throw new InvalidInputError(`--symbols for the simulator is a count (e.g. 24); a symbol list is for the live sources (${SYMBOL_SOURCES.join(', ')})`);
  }
  // A part for an exchange that is not followed would be dropped without a word.
  const following = named.filter((n) => (SYMBOL_SOURCES as readonly string[]).includes(n));
  const addressed = Array.isArray(config.symbols) ? [...new Set(config.symbols.flatMap((s) => (s.includes(':') ? [s.slice(0, s.indexOf(':'))] : [])))] : [];
  const stray = addressed.filter((x) => !following.includes(x));
  if (following.length > 0 && stray.length > 0) {
    throw new InvalidInputError(`--symbols has a part for ${stray.join(', ')}, which --source does not name (it names ${following.join(', ')}): add ${stray.length === 1 ? 'it' : 'them'} to --source or drop ${stray.length === 1 ? 'that part' : 'those parts'}`);
  }
  if (named.includes('sentiment') && config.sentimentFeed === '') {
    throw new InvalidInputError('--source sentiment needs --sentiment-feed: a JSON-lines file of posts or an http(s) URL serving them');
  }
  if (named.includes('replay') && config.files.length === 0) {
    throw new InvalidInputError('--source replay needs files: pass them with --files a.csv,b.csv (or as arguments of `tickvault import`)');
  }
  return config;
};
