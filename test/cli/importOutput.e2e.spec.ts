/**
 * What `tickvault import` tells the user on the terminal: the reasons of rejected input, one
 * `import:` summary, a progress summary that says done when the files were read to the end, and
 * exit 1 when the files gave nothing to import.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/sharedData.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tickvault-import-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runImport = (file: string, dataDir: string): { code: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'import', file, '--data-dir', dataDir, '--log-level', 'silent'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** A spot kline row (no header, 12 columns) for the minute starting at `openTime`. */
const klineRow = (openTime: number, close: string): string =>
  [openTime, '23125.13', '23140.47', '23124.41', close, '199.09155000', openTime + 59_999, '4605541.13923020', 5638, '105.58630000', '2442612.58079880', 0].join(',');

describe('tickvault import on the terminal', () => {
  it('a file it cannot read gives its reason, says nothing was imported, and exits 1', () => {
    const file = path.join(dir, 'prices.csv');
    writeFileSync(file, 'hello,world\n');
    const run = runImport(file, path.join(dir, 'data-unknown'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('rejected: cannot tell the format of prices.csv');
    expect(run.stderr).toContain(`nothing imported: no trade or candle in ${file}`);
    expect(run.stdout).toContain('import: 0 new, 0 already in the ledger, 1 rejected');
    expect(run.stdout).not.toMatch(/^replay:/m);
  }, 120_000);

  it('a finished import says done (not "stopped at"), names each rejected row, and a rerun adds nothing and still exits 0', () => {
    const t = Date.UTC(2023, 1, 1);
    const file = path.join(dir, 'BTCUSDT-1m-2023-02-01.csv');
    writeFileSync(file, [klineRow(t, '23133.74'), klineRow(t + 60_000, '23130.00'), 'bad,row', klineRow(t + 120_000, '23131.50')].join('\n') + '\n');
    const dataDir = path.join(dir, 'data-klines');
    const first = runImport(file, dataDir);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('import: 3 new, 0 already in the ledger, 1 rejected');
    expect(first.stderr).toContain('rejected: BTCUSDT-1m-2023-02-01.csv:3: expected 12 kline columns, got 2');
    expect(first.stderr).toMatch(/^importing done: /m);
    expect(first.stderr).not.toContain('stopped at');
    const again = runImport(file, dataDir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('resumed: read past 4 of 4 lines');
    expect(again.stderr).toMatch(/^importing done: /m);
  }, 120_000);
});
