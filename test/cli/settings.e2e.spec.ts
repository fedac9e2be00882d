/**
 * The `tickvault` process: `start --help` (what `npm start -- --help` runs) lists every setting,
 * and a bad setting stops it with exit code 2 and a message naming the setting, its source, the
 * value and the valid values, before anything starts.
 */
import { describe, expect, it } from 'vitest';
import { SETTING_LIST } from '../../src/app/settings/settings.js';
import { runTickvault } from '../support/tickvaultProcess.js';

const tickvault = (args: readonly string[], env: Record<string, string> = {}) => runTickvault(args, { env });

describe('tickvault settings on the command line', () => {
  it('start --help lists every setting with its variable', async () => {
    const run = await tickvault(['start', '--help']);
    expect(run.code).toBe(0);
    for (const [, spec] of SETTING_LIST) {
      expect(run.stdout).toContain(`  --${spec.flag} `);
      if (spec.env !== undefined) expect(run.stdout).toContain(`env ${spec.env};`);
    }
  });

  it('refuses a bad flag and a bad variable with exit 2, naming each, and starts nothing', async () => {
    const run = await tickvault(['start', '--port', '70000'], { TICKVAULT_BATCH_ENGINE: 'flink' });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('setting port from flag --port: got "70000", expected an integer from 0 to 65535');
    expect(run.stderr).toContain('setting batchEngine from environment variable TICKVAULT_BATCH_ENGINE: got "flink", expected one of ts, spark');
    expect(run.stderr).toContain('Run `tickvault start --help`');
  });
});
