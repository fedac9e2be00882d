/** The replay plan: settings checked with the reason, files read for size and identity before anything runs. */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { planReplay } from '../../../src/adapters/sources/replay/replayOptions.js';

describe('replay plan', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tmp = (): string => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'tv-replay-plan-'));
    dirs.push(d);
    return d;
  };

  it('totals the files\' sizes, and gives a file rewritten at the same path another identity', () => {
    const dir = tmp();
    const a = path.join(dir, 'BTCUSDT-trades-2024-01-01.csv');
    const b = path.join(dir, 'ETHUSDT-trades-2024-01-01.csv');
    writeFileSync(a, 'x'.repeat(10));
    writeFileSync(b, 'y'.repeat(32));
    const before = planReplay({ files: [a, b] });
    expect(before.total).toBe(42);
    expect(before.files.map((f) => f.size)).toEqual([10, 32]);
    writeFileSync(a, 'z'.repeat(10));
    utimesSync(a, new Date(2030, 0, 1), new Date(2030, 0, 1));
    const after = planReplay({ files: [a, b] });
    expect(after.files[0]!.identity).not.toBe(before.files[0]!.identity);
    expect(after.files[1]!.identity).toBe(before.files[1]!.identity);
  });

  it('reads the defaults and the symbol in its canonical form', () => {
    const plan = planReplay({ files: [], symbol: 'btcusdt' });
    expect(plan).toEqual({ speed: 0, batchSize: 1_000, symbol: 'BTC-USDT', files: [], total: 0 });
  });

  it.each([
    [{ speed: -1 }, 'replay: speed must be ≥ 0, got -1'],
    [{ speed: Number.NaN }, 'replay: speed must be ≥ 0, got NaN'],
    [{ batchSize: 0 }, 'replay: batchSize must be a positive integer, got 0'],
    [{ batchSize: 1.5 }, 'replay: batchSize must be a positive integer, got 1.5'],
    [{ exchange: 'Binance' }, 'replay: exchange must be a lower-case exchange id like "binance", got "Binance"'],
    [{ symbol: 'BTC' }, 'replay: symbol must look like BTC-USDT or BTCUSDT, got "BTC"'],
  ])('refuses %j with the reason', (over, reason) => {
    expect(() => planReplay({ files: [], ...over })).toThrow(reason);
  });

  it('refuses a missing file and a folder, naming them, before anything is replayed', () => {
    const dir = tmp();
    const missing = path.join(dir, 'missing.csv');
    expect(() => planReplay({ files: [missing] })).toThrow(`replay: cannot read ${missing}`);
    expect(() => planReplay({ files: [dir] })).toThrow(`replay: ${dir} is not a file`);
  });
});
