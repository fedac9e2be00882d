/**
 * The BatchStore contract: every adapter (SQLite, HBase) runs these same tests, written only
 * against the port. `make` returns a fresh, empty store; `reopen` (every adapter is persistent)
 * closes the store and opens a new one on the same data; `cleanup` closes whatever is open and
 * removes the data.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeCandle } from '../../src/domain/folds/candle.js';
import { storeSlot } from '../../src/domain/folds/minuteSlot.js';
import type { BatchCandleRow, BatchMinuteRow, BatchStore, BatchViewMeta, BatchWrite } from '../../src/domain/ports.js';
import { DAY_MS, INTERVAL_MS } from '../../src/domain/time.js';
import { positiveDecimalString } from '../support/arbitraries.js';
import { candleOf, hugeSlot, klineSlot, minute, slotArb, T0, trade, tradeSlot } from '../support/candles.js';

export interface BatchStoreHarness {
  readonly store: BatchStore;
  /** Closes the store and opens it again on the same data (every batch store adapter is persistent). */
  readonly reopen: () => Promise<BatchStore>;
  cleanup(): Promise<void>;
}

const HOUR = INTERVAL_MS['1h'];
/** Wide enough to hold every row these tests write. */
const ALL_FROM = T0 - DAY_MS;
const ALL_TO = T0 + 10 * DAY_MS;

const EMPTY: BatchWrite = { replace: [], minutes: [], candles: [], meta: [] };
const write = (over: Partial<BatchWrite>): BatchWrite => ({ ...EMPTY, ...over });

const minuteRow = (symbol: string, exchange: string, m: number, prices: readonly string[] = ['100']): BatchMinuteRow => ({
  exchange,
  symbol,
  minute: m,
  slot: tradeSlot(m, prices),
});

const candleRow = (symbol: string, exchange: string, interval: '1h' | '1d', at: number, price = '100', quantity = '1.5'): BatchCandleRow => ({
  exchange,
  symbol,
  interval,
  candle: candleOf([trade(at, String(at), price, quantity)], interval),
});

const meta = (symbol: string, over: Partial<BatchViewMeta> = {}): BatchViewMeta => ({
  view: 'ohlcv',
  symbol,
  version: 1,
  computedThrough: minute(10),
  throughPosition: 100,
  ...over,
});

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Comparable forms: bigint volumes as the stored strings, so a lossy adapter shows in the diff. */
const canonicalMinutes = (rows: readonly BatchMinuteRow[]) =>
  rows.map((r) => ({ exchange: r.exchange, symbol: r.symbol, minute: r.minute, slot: storeSlot(r.slot) }));
const canonicalCandles = (rows: readonly BatchCandleRow[]) =>
  rows.map((r) => ({ exchange: r.exchange, symbol: r.symbol, interval: r.interval, candle: storeCandle(r.candle) }));
const canonicalMetas = (metas: readonly BatchViewMeta[]) =>
  [...metas]
    .sort((a, b) => byText(a.view, b.view) || byText(a.symbol, b.symbol))
    .map((m) => ({ view: m.view, symbol: m.symbol, version: m.version, computedThrough: m.computedThrough, throughPosition: m.throughPosition }));

const byTimeThenExchange = <T extends { exchange: string }>(time: (r: T) => number) => (a: T, b: T): number =>
  time(a) - time(b) || byText(a.exchange, b.exchange);

/** The plain model of a BatchStore: maps keyed like the port's primary keys. */
class Model {
  readonly checkpoints = new Map<string, number>();
  readonly minutes = new Map<string, BatchMinuteRow>();
  readonly candles = new Map<string, BatchCandleRow>();
  readonly metas = new Map<string, BatchViewMeta>();

  commit(projector: string, w: BatchWrite, checkpoint: number): void {
    for (const r of w.replace) {
      for (const [k, row] of this.minutes) if (row.symbol === r.symbol && row.minute >= r.from && row.minute < r.to) this.minutes.delete(k);
      for (const [k, row] of this.candles) {
        if (row.symbol === r.symbol && row.candle.bucketStart >= r.from && row.candle.bucketStart < r.to) this.candles.delete(k);
      }
    }
    for (const m of w.minutes) this.minutes.set(`${m.symbol}|${m.minute}|${m.exchange}`, m);
    for (const c of w.candles) this.candles.set(`${c.symbol}|${c.interval}|${c.candle.bucketStart}|${c.exchange}`, c);
    for (const m of w.meta) this.metas.set(`${m.view}|${m.symbol}`, m);
    this.checkpoints.set(projector, checkpoint);
  }

  minuteRows(symbol: string, from: number, to: number): BatchMinuteRow[] {
    return [...this.minutes.values()].filter((r) => r.symbol === symbol && r.minute >= from && r.minute < to).sort(byTimeThenExchange((r) => r.minute));
  }

  candleRows(symbol: string, interval: '1h' | '1d', from: number, to: number): BatchCandleRow[] {
    return [...this.candles.values()]
      .filter((r) => r.symbol === symbol && r.interval === interval && r.candle.bucketStart >= from && r.candle.bucketStart < to)
      .sort(byTimeThenExchange((r) => r.candle.bucketStart));
  }
}

const SYMBOLS = ['BTC-USDT', 'ETH-USDT'] as const;
const EXCHANGES = ['kraken', 'binance'] as const;
/** Times on and around hour and day boundaries, where off-by-one range bugs live. */
const MINUTE_GRID = [0, 1, 59, 60, 61, 119, 120, 1439, 1440, 1441].map(minute);
const HOUR_GRID = [0, 1, 2, 24].map((h) => T0 + h * HOUR);
const DAY_GRID = [T0, T0 + DAY_MS];
const BOUND_GRID = [...new Set([...MINUTE_GRID, ...HOUR_GRID, ...DAY_GRID, T0 + 2 * DAY_MS])].sort((a, b) => a - b);

const minuteRowArb: fc.Arbitrary<BatchMinuteRow> = fc
  .record({ symbol: fc.constantFrom(...SYMBOLS), exchange: fc.constantFrom(...EXCHANGES), m: fc.constantFrom(...MINUTE_GRID) })
  .chain(({ symbol, exchange, m }) => slotArb(m).map((slot) => ({ symbol, exchange, minute: m, slot })));

const candleRowArb: fc.Arbitrary<BatchCandleRow> = fc
  .record({
    symbol: fc.constantFrom(...SYMBOLS),
    exchange: fc.constantFrom(...EXCHANGES),
    at: fc.oneof(
      fc.record({ interval: fc.constant('1h' as const), bucket: fc.constantFrom(...HOUR_GRID) }),
      fc.record({ interval: fc.constant('1d' as const), bucket: fc.constantFrom(...DAY_GRID) }),
    ),
    offset: fc.integer({ min: 0, max: HOUR - 1 }),
    price: positiveDecimalString({ maxInt: 100_000, maxFrac: 8 }),
    quantity: positiveDecimalString({ maxInt: 10_000_000, maxFrac: 18 }),
  })
  .map(({ symbol, exchange, at, offset, price, quantity }) => candleRow(symbol, exchange, at.interval, at.bucket + offset, price, quantity));

const metaArb: fc.Arbitrary<BatchViewMeta> = fc.record({
  view: fc.constantFrom('ohlcv', 'other'),
  symbol: fc.constantFrom(...SYMBOLS),
  version: fc.integer({ min: 1, max: 9 }),
  computedThrough: fc.constantFrom(...MINUTE_GRID),
  throughPosition: fc.nat({ max: 1_000_000 }),
});

const replaceArb = fc
  .record({ symbol: fc.constantFrom(...SYMBOLS), a: fc.constantFrom(...BOUND_GRID), b: fc.constantFrom(...BOUND_GRID) })
  .map(({ symbol, a, b }) => ({ symbol, from: Math.min(a, b), to: Math.max(a, b) }));

// Keys are unique within one write: the port does not say which of two puts of one row wins.
const writeArb: fc.Arbitrary<BatchWrite> = fc.record({
  replace: fc.array(replaceArb, { maxLength: 2 }),
  minutes: fc.uniqueArray(minuteRowArb, { maxLength: 6, selector: (r) => `${r.symbol}|${r.minute}|${r.exchange}` }),
  candles: fc.uniqueArray(candleRowArb, { maxLength: 5, selector: (r) => `${r.symbol}|${r.interval}|${r.candle.bucketStart}|${r.exchange}` }),
  meta: fc.uniqueArray(metaArb, { maxLength: 2, selector: (m) => `${m.view}|${m.symbol}` }),
});

/** `propertyTimeoutMs`: the model-based property makes hundreds of round trips; a REST store needs minutes. */
export function batchStoreContract(name: string, make: () => Promise<BatchStoreHarness>, options: { propertyTimeoutMs?: number } = {}): void {
  describe(`BatchStore contract: ${name}`, () => {
    let h: BatchStoreHarness;
    let store: BatchStore;

    beforeEach(async () => {
      h = await make();
      store = h.store;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('starts empty', async () => {
      expect(await store.checkpoint('batch')).toBe(0);
      expect(await store.minutes('BTC-USDT', ALL_FROM, ALL_TO)).toEqual([]);
      expect(await store.candles('BTC-USDT', '1h', ALL_FROM, ALL_TO)).toEqual([]);
      expect(await store.meta('ohlcv', 'BTC-USDT')).toBeUndefined();
      expect(await store.allMeta('ohlcv')).toEqual([]);
    });

    it('reads back minute rows exactly, sorted by minute then exchange', async () => {
      const rows: BatchMinuteRow[] = [
        { exchange: 'kraken', symbol: 'BTC-USDT', minute: minute(1), slot: klineSlot(minute(1)) },
        { exchange: 'binance', symbol: 'BTC-USDT', minute: minute(1), slot: hugeSlot(minute(1)) },
        minuteRow('BTC-USDT', 'kraken', minute(0), ['100', '101.5']),
        minuteRow('ETH-USDT', 'binance', minute(0)),
      ];
      await store.commit('batch', write({ minutes: rows }), 1);

      const got = await store.minutes('BTC-USDT', ALL_FROM, ALL_TO);
      expect(canonicalMinutes(got)).toEqual(canonicalMinutes([rows[2]!, rows[1]!, rows[0]!]));
      const huge = got.find((r) => r.exchange === 'binance')?.slot;
      expect(typeof huge?.fromTrades?.quoteVolume).toBe('bigint');
      expect(huge).toEqual(hugeSlot(minute(1)));
      expect(canonicalMinutes(await store.minutes('ETH-USDT', ALL_FROM, ALL_TO))).toEqual(canonicalMinutes([rows[3]!]));
    });

    it('minutes(symbol, from, to) includes from and excludes to', async () => {
      await store.commit('batch', write({ minutes: [0, 1, 2, 3].map((i) => minuteRow('BTC-USDT', 'binance', minute(i))) }), 1);
      expect((await store.minutes('BTC-USDT', minute(1), minute(3))).map((r) => r.minute)).toEqual([minute(1), minute(2)]);
      expect(await store.minutes('BTC-USDT', minute(2), minute(2))).toEqual([]);
      expect(await store.minutes('BTC-USDT', minute(1) + 1, minute(2))).toEqual([]);
    });

    it('reads back candle rows exactly, per interval, sorted by bucket then exchange, to exclusive', async () => {
      const rows = [
        candleRow('BTC-USDT', 'kraken', '1h', T0 + HOUR + 5, '101', '123456789012.123456789012345678'),
        candleRow('BTC-USDT', 'binance', '1h', T0 + HOUR + 7),
        candleRow('BTC-USDT', 'binance', '1h', T0 + 9),
        candleRow('BTC-USDT', 'binance', '1h', T0 + 2 * HOUR),
        candleRow('BTC-USDT', 'binance', '1d', T0 + 9),
        candleRow('ETH-USDT', 'binance', '1h', T0 + 9),
      ];
      await store.commit('batch', write({ candles: rows }), 1);

      const hours = await store.candles('BTC-USDT', '1h', T0, T0 + 2 * HOUR);
      expect(canonicalCandles(hours)).toEqual(canonicalCandles([rows[2]!, rows[1]!, rows[0]!]));
      expect(hours.find((r) => r.exchange === 'kraken')?.candle).toEqual(rows[0]!.candle);
      expect(canonicalCandles(await store.candles('BTC-USDT', '1d', T0, T0 + DAY_MS))).toEqual(canonicalCandles([rows[4]!]));
      expect(await store.candles('BTC-USDT', '1d', T0 + 1, T0 + DAY_MS)).toEqual([]);
    });

    it('a put of an existing key replaces that row', async () => {
      await store.commit('batch', write({ minutes: [minuteRow('BTC-USDT', 'binance', minute(0), ['100'])], candles: [candleRow('BTC-USDT', 'binance', '1h', T0, '100')] }), 1);
      const minuteAgain = minuteRow('BTC-USDT', 'binance', minute(0), ['100', '200']);
      const candleAgain = candleRow('BTC-USDT', 'binance', '1h', T0 + 1_000, '300');
      await store.commit('batch', write({ minutes: [minuteAgain], candles: [candleAgain] }), 2);
      expect(canonicalMinutes(await store.minutes('BTC-USDT', ALL_FROM, ALL_TO))).toEqual(canonicalMinutes([minuteAgain]));
      expect(canonicalCandles(await store.candles('BTC-USDT', '1h', ALL_FROM, ALL_TO))).toEqual(canonicalCandles([candleAgain]));
    });

    it('replace deletes only that symbol in [from, to), both intervals, before the puts of the same write', async () => {
      const dayAfter = T0 + DAY_MS;
      await store.commit(
        'batch',
        write({
          minutes: [
            ...[0, 60, 61, 120].map((i) => minuteRow('BTC-USDT', 'binance', minute(i))),
            minuteRow('BTC-USDT', 'kraken', minute(60)),
            minuteRow('ETH-USDT', 'binance', minute(60)),
          ],
          candles: [
            candleRow('BTC-USDT', 'binance', '1h', T0),
            candleRow('BTC-USDT', 'binance', '1h', T0 + HOUR),
            candleRow('BTC-USDT', 'binance', '1h', T0 + 2 * HOUR),
            candleRow('BTC-USDT', 'binance', '1d', T0),
            candleRow('BTC-USDT', 'binance', '1d', dayAfter),
            candleRow('ETH-USDT', 'binance', '1h', T0 + HOUR),
          ],
        }),
        1,
      );
      // Replace BTC's second hour through the end of the first day; put one minute back.
      const putBack = minuteRow('BTC-USDT', 'binance', minute(61), ['777']);
      await store.commit('batch', write({ replace: [{ symbol: 'BTC-USDT', from: T0 + HOUR, to: dayAfter }], minutes: [putBack] }), 2);

      const btc = await store.minutes('BTC-USDT', ALL_FROM, ALL_TO);
      expect(btc.map((r) => [r.minute, r.exchange])).toEqual([
        [minute(0), 'binance'],
        [minute(61), 'binance'],
      ]);
      expect(canonicalMinutes(btc)[1]).toEqual(canonicalMinutes([putBack])[0]);
      expect((await store.candles('BTC-USDT', '1h', ALL_FROM, ALL_TO)).map((r) => r.candle.bucketStart)).toEqual([T0]);
      // The day candle at T0 starts before `from`, so it stays; the next day's starts at `to`, so it stays too.
      expect((await store.candles('BTC-USDT', '1d', ALL_FROM, ALL_TO)).map((r) => r.candle.bucketStart)).toEqual([T0, dayAfter]);
      expect((await store.minutes('ETH-USDT', ALL_FROM, ALL_TO)).map((r) => r.minute)).toEqual([minute(60)]);
      expect((await store.candles('ETH-USDT', '1h', ALL_FROM, ALL_TO)).map((r) => r.candle.bucketStart)).toEqual([T0 + HOUR]);
    });

    it('replace with the whole first day removes its day candle too', async () => {
      await store.commit('batch', write({ candles: [candleRow('BTC-USDT', 'binance', '1d', T0), candleRow('BTC-USDT', 'binance', '1h', T0 + 23 * HOUR)] }), 1);
      await store.commit('batch', write({ replace: [{ symbol: 'BTC-USDT', from: T0, to: T0 + DAY_MS }] }), 2);
      expect(await store.candles('BTC-USDT', '1d', ALL_FROM, ALL_TO)).toEqual([]);
      expect(await store.candles('BTC-USDT', '1h', ALL_FROM, ALL_TO)).toEqual([]);
    });

    it('upserts view metadata per (view, symbol)', async () => {
      await store.commit('batch', write({ meta: [meta('BTC-USDT'), meta('ETH-USDT', { version: 2 }), meta('BTC-USDT', { view: 'other', version: 7 })] }), 1);
      await store.commit('batch', write({ meta: [meta('BTC-USDT', { version: 3, computedThrough: minute(60), throughPosition: 250 })] }), 2);

      expect(await store.meta('ohlcv', 'BTC-USDT')).toEqual(meta('BTC-USDT', { version: 3, computedThrough: minute(60), throughPosition: 250 }));
      expect(await store.meta('other', 'BTC-USDT')).toEqual(meta('BTC-USDT', { view: 'other', version: 7 }));
      expect(await store.meta('ohlcv', 'SOL-USD')).toBeUndefined();
      expect(canonicalMetas(await store.allMeta('ohlcv'))).toEqual(
        canonicalMetas([meta('BTC-USDT', { version: 3, computedThrough: minute(60), throughPosition: 250 }), meta('ETH-USDT', { version: 2 })]),
      );
    });

    it('keeps one checkpoint per projector; an empty write still moves it', async () => {
      await store.commit('batch', write({ minutes: [minuteRow('BTC-USDT', 'binance', minute(0))] }), 10);
      await store.commit('other', EMPTY, 3);
      await store.commit('batch', EMPTY, 12);
      expect(await store.checkpoint('batch')).toBe(12);
      expect(await store.checkpoint('other')).toBe(3);
      expect(await store.checkpoint('never')).toBe(0);
    });

    it('keeps everything across a reopen', async () => {
      const w = write({
        minutes: [{ exchange: 'binance', symbol: 'BTC-USDT', minute: minute(0), slot: hugeSlot(minute(0)) }],
        candles: [candleRow('BTC-USDT', 'binance', '1d', T0 + 5, '100', '123456789012.123456789012345678')],
        meta: [meta('BTC-USDT')],
      });
      await store.commit('batch', w, 77);
      store = await h.reopen();
      expect(await store.checkpoint('batch')).toBe(77);
      expect(canonicalMinutes(await store.minutes('BTC-USDT', ALL_FROM, ALL_TO))).toEqual(canonicalMinutes(w.minutes));
      expect(canonicalCandles(await store.candles('BTC-USDT', '1d', ALL_FROM, ALL_TO))).toEqual(canonicalCandles(w.candles));
      expect(await store.meta('ohlcv', 'BTC-USDT')).toEqual(meta('BTC-USDT'));
    });

    it('any sequence of writes reads back as the plain model of the same writes', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(fc.record({ w: writeArb, checkpoint: fc.nat({ max: 1_000_000 }) }), { minLength: 1, maxLength: 5 }), async (commits) => {
          // The port has no clear(), so each run writes under projector and symbols of its own.
          run++;
          const rename = (s: string): string => `${s}-${run}`;
          const model = new Model();
          for (const { w, checkpoint } of commits) {
            const mine: BatchWrite = {
              replace: w.replace.map((r) => ({ ...r, symbol: rename(r.symbol) })),
              minutes: w.minutes.map((r) => ({ ...r, symbol: rename(r.symbol) })),
              candles: w.candles.map((r) => ({ ...r, symbol: rename(r.symbol) })),
              meta: w.meta.map((m) => ({ ...m, symbol: rename(m.symbol) })),
            };
            await store.commit(`batch-${run}`, mine, checkpoint);
            model.commit(`batch-${run}`, mine, checkpoint);
          }
          expect(await store.checkpoint(`batch-${run}`)).toBe(model.checkpoints.get(`batch-${run}`));
          for (const symbol of SYMBOLS.map(rename)) {
            expect(canonicalMinutes(await store.minutes(symbol, ALL_FROM, ALL_TO))).toEqual(canonicalMinutes(model.minuteRows(symbol, ALL_FROM, ALL_TO)));
            expect(canonicalMinutes(await store.minutes(symbol, T0 + HOUR, T0 + DAY_MS))).toEqual(canonicalMinutes(model.minuteRows(symbol, T0 + HOUR, T0 + DAY_MS)));
            for (const interval of ['1h', '1d'] as const) {
              expect(canonicalCandles(await store.candles(symbol, interval, ALL_FROM, ALL_TO))).toEqual(
                canonicalCandles(model.candleRows(symbol, interval, ALL_FROM, ALL_TO)),
              );
            }
            for (const view of ['ohlcv', 'other']) {
              const m = await store.meta(view, symbol);
              expect(m === undefined ? undefined : canonicalMetas([m])).toEqual(
                model.metas.has(`${view}|${symbol}`) ? canonicalMetas([model.metas.get(`${view}|${symbol}`)!]) : undefined,
              );
            }
          }
          const mine = (m: BatchViewMeta): boolean => m.symbol.endsWith(`-${run}`);
          for (const view of ['ohlcv', 'other']) {
            expect(canonicalMetas((await store.allMeta(view)).filter(mine))).toEqual(canonicalMetas([...model.metas.values()].filter((m) => m.view === view && mine(m))));
          }
        }),
        { numRuns: 60 },
      );
    }, options.propertyTimeoutMs);
  });
}
