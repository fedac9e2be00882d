/**
 * The README's settings tables, written from the settings table: `node scripts/readme-settings.mjs`
 * rewrites the README's marked blocks with them, and a unit test fails when the two disagree.
 */
import { SETTING_GROUPS, SETTING_LIST, defaultText, type SettingGroup } from './settings.js';

/** A README block holding the table of some groups opens with this line and closes with SETTINGS_BLOCK_END. */
const settingsBlockStart = (groups: readonly SettingGroup[]): string => `<!-- settings table: ${groups.join(', ')} (generated from src/app/settings/settings.ts) -->`;
export const SETTINGS_BLOCK_END = '<!-- end of settings table -->';

const cell = (s: string): string => s.replace(/\|/g, '\\|');
const code = (s: string): string => `\`${s}\``;

/** One markdown table row per setting of `groups`, in the table's order. */
export const settingsMarkdown = (groups: readonly SettingGroup[]): string => {
  const rows = SETTING_LIST.filter(([, spec]) => groups.includes(spec.group)).map(([name, spec]) =>
    [code(`--${spec.flag}`), spec.env === undefined ? '' : code(spec.env), code(name), spec.defaultText === undefined ? code(defaultText(spec)) : cell(spec.defaultText), cell(spec.kind.range), cell(spec.help)].join(' | '),
  );
  return ['| flag | env | config file key | default | valid values | what it sets |', '|---|---|---|---|---|---|', ...rows.map((r) => `| ${r} |`)].join('\n');
};

/** `readme` with every settings block's table rewritten from the settings table. */
export const withSettingsTables = (readme: string): string =>
  readme.replace(/<!-- settings table: ([a-z, ]+) \(generated[^\n]*-->\n[\s\S]*?<!-- end of settings table -->/g, (_block, list: string) => {
    const groups = list.split(',').map((g) => g.trim());
    const unknown = groups.filter((g) => !Object.hasOwn(SETTING_GROUPS, g));
    if (unknown.length > 0) throw new Error(`settings table block names unknown groups ${unknown.join(', ')} (known: ${Object.keys(SETTING_GROUPS).join(', ')})`);
    return `${settingsBlockStart(groups as SettingGroup[])}\n${settingsMarkdown(groups as SettingGroup[])}\n${SETTINGS_BLOCK_END}`;
  });
