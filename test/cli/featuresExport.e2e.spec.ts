/**
 * `tickvault features export` as a user runs it: the Parquet file it writes, read back with
 * pyarrow (an independent reader), holds exactly the rows the feature query answers, every value
 * to the bit and every null a null, with the symbol and versions in its metadata; bad flags are
 * refused with the reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureColumnName } from '../../src/adapters/parquet/featureRowsParquet.js';
import { FEATURE_COLUMNS, type FeatureRow } from '../../src/domain/features/featureRow.js';
import { openTestPlatform, origin, trade } from '../support/platform.js';
import { pythonStack, runPythonReference } from '../support/pythonReference.js';
import { runTickvault } from '../support/tickvaultProcess.js';

const CLI_TIMEOUT = 180_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 5, 1);
/**
 * The export's end: a day before the last trade. The embedded profile's speed layer lives in the
 * memory of the process that ran the projections, so a CLI process sees the batch view only,
 * whose boundary stays short of the newest minutes.
 */
const END = T0 + 11 * 24 * HOUR;

interface ReadBack {
  columns: Record<string, Array<number | null>>;
  types: Record<string, string>;
  metadata: Record<string, string>;
}

describe('tickvault features export', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-features-cli-'));
  let expected: FeatureRow[] = [];
  let batchVersion = 0;

  beforeAll(async () => {
    const { platform, cleanup } = await openTestPlatform({}, dir);
    try {
      const items = ['BTC-USDT', 'ETH-USDT'].flatMap((symbol, s) =>
        Array.from({ length: 24 * 12 }, (_, h) => h)
          .filter((h) => h % 37 !== 5)
          .flatMap((h) => [
            trade(`${symbol}-${h}-a`, (100 * (s + 1) + Math.sin(h / 4) * 3).toFixed(4), T0 + h * HOUR + 1_000, { symbol, quantity: '1.25', side: 'buy' }),
            trade(`${symbol}-${h}-b`, (100 * (s + 1) + Math.cos(h / 6) * 2).toFixed(4), T0 + h * HOUR + 2_000, { symbol, quantity: (0.5 + (h % 3)).toFixed(2), side: 'sell' }),
          ]),
      );
      const r = await platform.commands.recordObservations({ origin, items });
      await platform.batchProjector.runThrough(r.lastPosition);
      const answer = await platform.queries.features({ symbol: 'ETH-USDT', interval: '1h', from: T0 + 24 * HOUR, to: END });
      expected = answer.rows;
      batchVersion = answer.batch!.version;
    } finally {
      await cleanup();
    }
  }, CLI_TIMEOUT);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(pythonStack.skip)('writes the rows the feature query answers, read back exactly by pyarrow', async () => {
    const out = path.join(dir, 'eth.parquet');
    const run = await runTickvault(['features', 'export', '--symbol', 'eth-usdt', '--interval', '1h', '--from', new Date(T0 + 24 * HOUR).toISOString(), '--to', new Date(END).toISOString(), '--out', out, '--data-dir', dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`${expected.length} 1h rows of ETH-USDT written to ${out}`);
    expect(run.stderr).toContain(`features ETH-USDT 1h done: ${10 * 24}`);
    const back = await runPythonReference<ReadBack>('read_parquet.py', { path: out });
    expect(Object.keys(back.columns)).toEqual(FEATURE_COLUMNS.map(featureColumnName));
    expect(back.types['bucket_start']).toBe('timestamp[ms, tz=UTC]');
    expect(back.types['trades']).toBe('int64');
    for (const c of FEATURE_COLUMNS) expect(back.columns[featureColumnName(c)], c).toEqual(expected.map((r) => r[c]));
    // Every hour of the range but the silent ones (h % 37 === 5).
    expect(expected.map((r) => (r.time - T0) / HOUR)).toEqual(Array.from({ length: 10 * 24 }, (_, i) => 24 + i).filter((h) => h % 37 !== 5));
    expect(expected.some((r) => r.rsi14 === null) && expected.some((r) => r.rsi14 !== null)).toBe(true);
    expect(back.metadata).toMatchObject({ 'tickvault.symbol': 'ETH-USDT', 'tickvault.interval': '1h', 'tickvault.definitionVersion': '1', 'tickvault.batchVersion': String(batchVersion) });
  }, CLI_TIMEOUT);

  it('refuses an interval it does not serve and a missing --out, naming the flag', async () => {
    const minute = await runTickvault(['features', 'export', '--symbol', 'ETH-USDT', '--interval', '1m', '--from', '2024-06-01T00:00:00Z', '--to', '2024-06-02T00:00:00Z', '--out', 'x.parquet', '--data-dir', dir]);
    expect([minute.code, minute.stderr]).toEqual([2, expect.stringContaining('--interval: expected one of 1h, 1d')]);
    const noOut = await runTickvault(['features', 'export', '--symbol', 'ETH-USDT', '--interval', '1h', '--from', '2024-06-01T00:00:00Z', '--to', '2024-06-02T00:00:00Z', '--data-dir', dir]);
    expect([noOut.code, noOut.stderr]).toEqual([2, expect.stringContaining('features export needs --out')]);
  }, CLI_TIMEOUT);
});
