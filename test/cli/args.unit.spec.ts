/** The command-line parser: every setting's flag reaches its setting as written; command flags stay apart. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SETTING_LIST } from '../../src/app/settings/settings.js';
import { COMMAND_FLAGS, parseCommandLine } from '../../src/cli/args.js';

describe('parseCommandLine', () => {
  it('hands every setting flag to its setting, as written, whatever its text', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SETTING_LIST), fc.string(), ([name, spec], text) => {
        const args = parseCommandLine(['start', `--${spec.flag}=${text}`]);
        expect(args.settings).toEqual({ [name]: text });
        expect(args.command).toBe('start');
      }),
    );
  });

  it('keeps command flags, --config and positionals out of the settings', () => {
    const args = parseCommandLine(['replay', '--as-of', '2024-01-01T00:00:00Z', '--json', '--config', 'c.json', '--port', '9000', 'extra']);
    expect(args).toEqual({
      command: 'replay',
      positionals: ['extra'],
      settings: { port: '9000' },
      configFile: 'c.json',
      values: expect.objectContaining({ 'as-of': '2024-01-01T00:00:00Z', json: true, config: 'c.json', port: '9000' }) as unknown,
    });
  });

  it('gives no flag two meanings', () => {
    const flags = [...SETTING_LIST.map(([, s]) => s.flag), ...COMMAND_FLAGS.map((f) => f.flag)];
    expect(new Set(flags).size).toBe(flags.length);
  });

  it('refuses an unknown flag, naming it', () => {
    expect(() => parseCommandLine(['start', '--prot', '1'])).toThrow(/--prot/);
  });
});
