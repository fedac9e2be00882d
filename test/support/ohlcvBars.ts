/** The shared data's bars as a backtest reads them (open time, open, close as typed arrays). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Bars } from '../../src/domain/backtest/signals.js';

const barsOf = (rows: ReadonlyArray<readonly [number, number, number]>): Bars => ({
  time: Float64Array.from(rows, (r) => r[0]),
  open: Float64Array.from(rows, (r) => r[1]),
  close: Float64Array.from(rows, (r) => r[2]),
});

const unreadable = (file: string, line: string): Error => new Error(`${path.basename(file)}: unreadable row "${line}"`);

/** Binance kline CSVs (with or without the header row), concatenated in the order given. */
export const readKlineBars = (files: readonly string[]): Bars =>
  barsOf(
    files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .trim()
        .split(/\r?\n/)
        .filter((line) => !line.startsWith('open_time'))
        .map((line) => {
          const f = line.split(',');
          const row = [Number(f[0]), Number(f[1]), Number(f[4])] as const;
          if (!row.every((x) => Number.isFinite(x) && x > 0)) throw unreadable(file, line);
          return row;
        }),
    ),
  );

/** A coin of `daily-ohlcv-marketcap` (see dailyOhlcv.ts for its date formats). */
export const readDailyBars = (file: string): Bars => {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const cols = header!.split(',');
  const [date, open, close] = ['Date', 'Open', 'Close'].map((c) => cols.indexOf(c)) as [number, number, number];
  return barsOf(
    lines.map((line) => {
      const f = line.split(',');
      const row = [Date.parse(`${f[date]!.slice(0, 10)}T00:00:00Z`), Number(f[open]), Number(f[close])] as const;
      if (!row.every((x) => Number.isFinite(x) && x > 0)) throw unreadable(file, line);
      return row;
    }),
  );
};
