/** The shared daily OHLCV files (`daily-ohlcv-marketcap/coin_*.csv`): each coin's close per UTC day. */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { DAY_MS } from '../../src/domain/time.js';
import type { Close } from '../../src/domain/risk/returns.js';

export const DAILY_OHLCV = 'daily-ohlcv-marketcap';

/** `Date` is `YYYY-MM-DD` or `YYYY-MM-DD 23:59:59` (see the data's PROVENANCE.md): the day is its first ten characters. */
export const readDailyCloses = (file: string): Close[] => {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const cols = header!.split(',');
  const date = cols.indexOf('Date');
  const close = cols.indexOf('Close');
  return lines.map((line) => {
    const f = line.split(',');
    const time = Date.parse(`${f[date]!.slice(0, 10)}T00:00:00Z`);
    const value = Number(f[close]);
    if (Number.isNaN(time) || !(value > 0)) throw new Error(`${path.basename(file)}: unreadable row "${line}"`);
    return { time, close: value };
  });
};

export const dailyFiles = (dir: string): string[] =>
  readdirSync(dir).filter((f) => f.endsWith('.csv')).sort().map((f) => path.join(dir, f));

/** Days since the epoch: what the Python reference takes to tell consecutive days. */
export const dayNumber = (time: number): number => Math.round(time / DAY_MS);

/** A coin's daily bars (close and volume) from its `daily-ohlcv-marketcap` file. */
export const readDailyBars = (file: string): Array<Close & { volume: number }> => {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const volume = header!.split(',').indexOf('Volume');
  const closes = readDailyCloses(file);
  return closes.map((c, i) => {
    const v = Number(lines[i]!.split(',')[volume]);
    if (!(v >= 0)) throw new Error(`${path.basename(file)}: unreadable volume in "${lines[i]}"`);
    return { ...c, volume: v };
  });
};
