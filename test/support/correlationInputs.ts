/** Return tables for the correlation tests: from the shared daily OHLCV files, and generated ones. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { returnTable, type ReturnTable } from '../../src/domain/analytics/correlation.js';
import { simpleReturns, type Close } from '../../src/domain/risk/returns.js';
import { DAY_MS } from '../../src/domain/time.js';
import { dailyFiles, readDailyCloses } from './dailyOhlcv.js';

/** `SYMBOL-USD` of a daily OHLCV file, from its Symbol column. */
export const dailySymbol = (file: string): string => {
  const [header, first] = readFileSync(file, 'utf8').split(/\r?\n/, 2);
  const symbol = first!.split(',')[header!.split(',').indexOf('Symbol')];
  if (symbol === undefined || symbol === '') throw new Error(`${path.basename(file)}: no Symbol column`);
  return `${symbol}-USD`;
};

export interface DailySeries {
  readonly symbol: string;
  readonly closes: Close[];
}

export const dailySeries = (dir: string): DailySeries[] => dailyFiles(dir).map((f) => ({ symbol: dailySymbol(f), closes: readDailyCloses(f) }));

/** The daily returns of the `window` returns ending at `asOf` of every series (some partly or wholly absent). */
export const dailyTable = (series: readonly DailySeries[], asOf: number, window: number): ReturnTable =>
  returnTable(series.map((s) => ({
    symbol: s.symbol,
    returns: simpleReturns(s.closes.filter((c) => c.time >= asOf - window * DAY_MS && c.time <= asOf), DAY_MS),
  })));

/** The table as the Python reference reads it: one list per symbol, null where it has no return. */
export const tableColumns = (t: ReturnTable): Array<Array<number | null>> => t.columns.map((c) => Array.from(c, (v) => (Number.isNaN(v) ? null : v)));

/**
 * Generated tables: a few common factors so that some pairs correlate strongly and others not,
 * missing returns, ties (zeros, repeated values) and the odd flat series.
 */
export const tableArb = (maxSymbols = 14, maxRows = 120): fc.Arbitrary<ReturnTable> =>
  fc
    .record({
      rows: fc.integer({ min: 4, max: maxRows }),
      loadings: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.double({ min: -1, max: 1, noNaN: true }), fc.constantFrom('plain', 'gappy', 'ties', 'flat')), { minLength: 2, maxLength: maxSymbols }),
      seed: fc.integer(),
    })
    .map(({ rows, loadings, seed }) => {
      let state = seed >>> 0 || 1;
      const next = () => {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        return ((state >>> 0) / 4_294_967_296) - 0.5;
      };
      const factors = [0, 1, 2].map(() => Array.from({ length: rows }, () => next() * 0.1));
      const symbols = loadings.map((_, i) => (i === 0 ? 'BTC-USDT' : i === 1 ? 'ETH-USDT' : `C${i}-USDT`));
      return returnTable(loadings.map(([factor, load, kind], i) => ({
        symbol: symbols[i]!,
        returns: factors[factor]!.flatMap((f, t) => {
          if (kind === 'gappy' && next() < -0.3) return [];
          const noise = next() * 0.1 * (1 - Math.abs(load));
          const raw = kind === 'flat' ? 0.01 : load * f + noise;
          return [{ time: t * DAY_MS, value: kind === 'ties' ? Math.round(raw * 100) / 100 : raw }];
        }),
      })));
    });
