/**
 * `tickvault recompute` as a subprocess on the embedded profile (TS engine): it records the
 * request, waits for its completion and prints the new version; a second run prints the next
 * one. Bad input exits 2 saying what to change.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPlatform, origin, trade } from '../support/platform.js';
import { repoRoot } from '../support/sharedData.js';

const T0 = Date.UTC(2024, 0, 2, 10);
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'recompute', ...args, '--log-level', 'silent'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });

describe('tickvault recompute', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tv-recompute-cli-'));
    const { platform, cleanup } = await openTestPlatform({}, dir);
    await platform.commands.recordObservations({ origin, items: [trade('1', '100', T0), trade('2', '120', T0 + 60_000)] });
    await platform.batchProjector.runOnce();
    await cleanup();
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the new version of the symbol view, one more on each run', async () => {
    const first = cli('--data-dir', dir, '--symbol', 'btc-usdt', '--from', '2024-01-02', '--to', '2024-01-02', '--engine', 'ts');
    expect(first.stderr).toMatch(/requested at ledger position \d+ \(engine ts\)/);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^BTC-USDT ohlcv version 2 \(engine ts, request /);
    const second = cli('--data-dir', dir, '--symbol', 'BTC-USDT', '--from', '2024-01-01', '--to', '2024-01-02');
    expect(second.stdout).toMatch(/^BTC-USDT ohlcv version 3 \(engine ts/);
    const { platform, cleanup } = await openTestPlatform({}, dir);
    try {
      expect((await platform.batch.meta('ohlcv', 'BTC-USDT'))?.version).toBe(3);
      expect((await platform.batch.minutes('BTC-USDT', T0, T0 + 120_000)).map((m) => m.minute)).toEqual([T0, T0 + 60_000]);
    } finally {
      await cleanup();
    }
  }, 240_000);

  it('exits 2 naming what is missing or wrong', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--from', '2024-01-02', '--to', '2024-01-02'], /recompute needs --symbol/],
      [['--symbol', 'BTC-USDT', '--from', '2024-01-03', '--to', '2024-01-02'], /toDay 2024-01-02 is before fromDay 2024-01-03/],
      [['--symbol', 'BTC-USDT', '--from', '2024-01-02', '--to', '2024-01-02', '--engine', 'flink'], /--engine: expected ts or spark/],
      [['--symbol', 'BTC-USDT', '--from', '2024-01-02', '--to', '2024-01-02', '--engine', 'spark'], /needs --profile cluster/],
    ];
    for (const [args, message] of cases) {
      const r = cli('--data-dir', dir, ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  }, 240_000);
});
