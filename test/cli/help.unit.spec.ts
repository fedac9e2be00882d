/** --help is written from the tables: it lists every setting (flag, variable, valid values, default) and every flag a command takes. */
import { describe, expect, it } from 'vitest';
import { SETTING_LIST, defaultText, type SettingSpec } from '../../src/app/settings/settings.js';
import { COMMANDS, COMMAND_FLAGS, type CommandName } from '../../src/cli/args.js';
import { helpText } from '../../src/cli/help.js';

const expectSetting = (help: string, name: string, spec: SettingSpec): void => {
  const at = help.indexOf(`  --${spec.flag} `);
  expect(at, `--${spec.flag} is listed`).toBeGreaterThanOrEqual(0);
  const entry = help.slice(at, help.indexOf('\n', help.indexOf('\n', at) + 1));
  expect(entry).toContain(spec.help);
  expect(entry).toContain(spec.kind.range);
  expect(entry).toContain(`default ${defaultText(spec)}`);
  if (spec.env !== undefined) expect(entry).toContain(`env ${spec.env}`);
  expect(entry).toContain(`config file key ${name}`);
};

describe('helpText', () => {
  it('lists every command, every command flag and every setting', () => {
    const help = helpText();
    for (const command of Object.values(COMMANDS)) expect(help).toContain(command.usage);
    for (const f of COMMAND_FLAGS) expect(help).toContain(`  --${f.flag} `);
    for (const [name, spec] of SETTING_LIST) expectSetting(help, name, spec);
  });

  it.each(Object.keys(COMMANDS) as CommandName[])('%s --help lists its usage, its flags and the settings it reads', (command) => {
    const help = helpText(command);
    const spec = COMMANDS[command];
    expect(help).toContain(spec.usage);
    for (const f of COMMAND_FLAGS) {
      if (f.commands.includes(command)) expect(help).toContain(`  --${f.flag} `);
      else expect(help).not.toContain(`  --${f.flag} `);
    }
    for (const [name, s] of SETTING_LIST) {
      if (spec.settings === 'all' || (spec.settings as readonly string[]).includes(name)) expectSetting(help, name, s);
      else expect(help).not.toContain(`  --${s.flag} `);
    }
  });

  it('says so for a command that takes no settings', () => {
    expect(helpText('decode')).toContain('It takes no settings.');
  });
});
