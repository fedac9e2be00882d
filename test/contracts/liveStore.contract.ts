/**
 * The LiveStore contract: every adapter (memory, Redis) runs these same tests, written only
 * against the port. `make` returns a fresh, empty store; `reopen`, when the adapter is
 * persistent, closes the store and opens a new one on the same data; `cleanup` closes whatever
 * is open and removes the data. `persistent` says at definition time whether the reopen case
 * applies, so an in-memory adapter has no case to skip.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LatestTrade } from '../../src/domain/folds/series.js';
import { storeSlot, type MinuteSlot } from '../../src/domain/folds/minuteSlot.js';
import type { LiveStore, SeriesDelta, SeriesMeta, SeriesMinute, SeriesSnapshot } from '../../src/domain/ports.js';
import { hugeSlot, klineSlot, minute, slotArb, T0, tradeSlot } from '../support/candles.js';

export interface LiveStoreHarness {
  readonly store: LiveStore;
  readonly reopen?: () => Promise<LiveStore>;
  cleanup(): Promise<void>;
}

const latestTrade = (exchange: string, symbol: string, eventTime: number, position: number): LatestTrade => ({
  exchange,
  symbol,
  tradeId: String(position),
  price: '100.5',
  quantity: '0.25',
  side: 'buy',
  eventTime,
  position,
});

const delta = (exchange: string, symbol: string, over: Partial<SeriesDelta> = {}): SeriesDelta => ({
  exchange,
  symbol,
  maxEventTime: T0,
  lateEvents: 0,
  // What a fresh series commits until its first eviction: adapters must keep -Infinity.
  coveredFrom: Number.NEGATIVE_INFINITY,
  latest: undefined,
  upserts: [],
  evictions: [],
  ...over,
});

const metaOf = (d: SeriesMeta): SeriesMeta => ({
  exchange: d.exchange,
  symbol: d.symbol,
  maxEventTime: d.maxEventTime,
  lateEvents: d.lateEvents,
  coveredFrom: d.coveredFrom,
  latest: d.latest,
});

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Comparable form: slots in their stored (bigint-as-string) form, series in a fixed order. */
const canonicalMeta = (m: SeriesMeta) => ({ ...metaOf(m), latest: m.latest ?? null });
const canonicalSeries = (series: readonly SeriesSnapshot[]) =>
  [...series]
    .sort((a, b) => byText(a.symbol, b.symbol) || byText(a.exchange, b.exchange))
    .map((s) => ({
      ...canonicalMeta(s),
      minutes: [...s.minutes].sort(([a], [b]) => a - b).map(([m, slot]) => [m, storeSlot(slot)] as const),
    }));
const canonicalMetas = (metas: readonly SeriesMeta[]) => [...metas].sort((a, b) => byText(a.exchange, b.exchange)).map(canonicalMeta);
const canonicalMinutes = (rows: readonly SeriesMinute[]) => rows.map((r) => ({ exchange: r.exchange, minute: r.minute, slot: storeSlot(r.slot) }));

/** What `load` must return after these deltas, computed by the most obvious model. */
class Model {
  readonly checkpoints = new Map<string, number>();
  readonly series = new Map<string, { meta: SeriesMeta; minutes: Map<number, MinuteSlot> }>();

  commit(projection: string, deltas: readonly SeriesDelta[], checkpoint: number): void {
    for (const d of deltas) {
      const key = `${d.symbol}|${d.exchange}`;
      const s = this.series.get(key) ?? { meta: metaOf(d), minutes: new Map<number, MinuteSlot>() };
      s.meta = metaOf(d);
      for (const [m, slot] of d.upserts) s.minutes.set(m, slot);
      for (const m of d.evictions) s.minutes.delete(m);
      this.series.set(key, s);
    }
    this.checkpoints.set(projection, checkpoint);
  }

  snapshots(): SeriesSnapshot[] {
    return [...this.series.values()].map((s) => ({ ...s.meta, minutes: [...s.minutes.entries()] }));
  }

  minutes(symbol: string, from: number, to: number): SeriesMinute[] {
    const out: SeriesMinute[] = [];
    for (const s of this.series.values()) {
      if (s.meta.symbol !== symbol) continue;
      for (const [m, slot] of s.minutes) if (m >= from && m < to) out.push({ exchange: s.meta.exchange, minute: m, slot });
    }
    return out.sort((a, b) => a.minute - b.minute || byText(a.exchange, b.exchange));
  }

  symbols(): string[] {
    return [...new Set([...this.series.values()].map((s) => s.meta.symbol))].sort(byText);
  }
}

const SYMBOLS = ['BTC-USDT', 'ETH-USDT', 'SOL-USD'] as const;
const EXCHANGES = ['kraken', 'binance', 'coinbase'] as const;
const MINUTES = 8;

const latestArb = (exchange: string, symbol: string): fc.Arbitrary<LatestTrade | undefined> =>
  fc.option(
    fc.record({ t: fc.integer({ min: 0, max: MINUTES * 60_000 }), p: fc.integer({ min: 1, max: 1_000_000 }) }).map(({ t, p }) => latestTrade(exchange, symbol, T0 + t, p)),
    { nil: undefined },
  );

const deltaArb: fc.Arbitrary<SeriesDelta> = fc
  .record({ exchange: fc.constantFrom(...EXCHANGES), symbol: fc.constantFrom(...SYMBOLS) })
  .chain(({ exchange, symbol }) =>
    fc
      .record({
        maxEventTime: fc.integer({ min: T0, max: T0 + MINUTES * 60_000 }),
        lateEvents: fc.nat({ max: 1_000 }),
        coveredFrom: fc.oneof(fc.constant(Number.NEGATIVE_INFINITY), fc.integer({ min: 0, max: MINUTES }).map(minute)),
        latest: latestArb(exchange, symbol),
        upserts: fc.uniqueArray(
          fc.integer({ min: 0, max: MINUTES - 1 }).chain((i) => slotArb(minute(i)).map((slot) => [minute(i), slot] as const)),
          { maxLength: 4, selector: ([m]) => m },
        ),
        evictions: fc.uniqueArray(fc.integer({ min: 0, max: MINUTES - 1 }).map(minute), { maxLength: 3 }),
      })
      // A minute both upserted and evicted in one delta is left out: the port does not say which wins.
      .map((r) => ({ exchange, symbol, ...r, evictions: r.evictions.filter((m) => !r.upserts.some(([u]) => u === m)) })),
  );

const commitArb = fc.record({
  projection: fc.constantFrom('live', 'other'),
  deltas: fc.uniqueArray(deltaArb, { maxLength: 4, selector: (d) => `${d.symbol}|${d.exchange}` }),
  checkpoint: fc.nat({ max: 1_000_000 }),
});

export function liveStoreContract(name: string, make: () => Promise<LiveStoreHarness>, options: { persistent: boolean }): void {
  describe(`LiveStore contract: ${name}`, () => {
    let h: LiveStoreHarness;
    let store: LiveStore;

    beforeEach(async () => {
      h = await make();
      store = h.store;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('starts empty: checkpoint 0, no series, no symbols', async () => {
      expect(await store.load('live')).toEqual({ checkpoint: 0, series: [] });
      expect(await store.symbols()).toEqual([]);
      expect(await store.seriesOf('BTC-USDT')).toEqual([]);
      expect(await store.minutes('BTC-USDT', 0, Number.MAX_SAFE_INTEGER)).toEqual([]);
    });

    it('commit then load round-trips exactly, bigint volumes and -Infinity included', async () => {
      const deltas = [
        delta('binance', 'BTC-USDT', {
          maxEventTime: minute(2) + 59_999,
          lateEvents: 3,
          latest: latestTrade('binance', 'BTC-USDT', minute(2) + 1_000, 17),
          upserts: [
            [minute(0), hugeSlot(minute(0))],
            [minute(1), klineSlot(minute(1))],
            [minute(2), tradeSlot(minute(2), ['100', '99.5', '101'])],
          ],
        }),
        delta('coinbase', 'ETH-USDT', { coveredFrom: minute(1), upserts: [[minute(1), tradeSlot(minute(1), ['2000.01'])]] }),
      ];
      await store.commit('live', deltas, 42);

      const loaded = await store.load('live');
      expect(loaded.checkpoint).toBe(42);
      expect(canonicalSeries(loaded.series)).toEqual(
        canonicalSeries(deltas.map((d) => ({ ...metaOf(d), minutes: d.upserts }))),
      );
      const btc = loaded.series.find((s) => s.symbol === 'BTC-USDT');
      const huge = btc?.minutes.find(([m]) => m === minute(0))?.[1];
      expect(typeof huge?.fromTrades?.volume).toBe('bigint');
      expect(huge).toEqual(hugeSlot(minute(0)));
      expect(btc?.coveredFrom).toBe(Number.NEGATIVE_INFINITY);
    });

    it('a later commit replaces series metadata and upserts minutes, keeping the others', async () => {
      await store.commit('live', [delta('binance', 'BTC-USDT', { upserts: [[minute(0), tradeSlot(minute(0))], [minute(1), tradeSlot(minute(1))]] })], 1);
      const next = delta('binance', 'BTC-USDT', {
        maxEventTime: minute(1) + 30_000,
        lateEvents: 2,
        latest: latestTrade('binance', 'BTC-USDT', minute(1) + 30_000, 9),
        upserts: [[minute(1), tradeSlot(minute(1), ['100', '105'])]],
      });
      await store.commit('live', [next], 2);

      const { checkpoint, series } = await store.load('live');
      expect(checkpoint).toBe(2);
      expect(canonicalSeries(series)).toEqual(
        canonicalSeries([{ ...metaOf(next), minutes: [[minute(0), tradeSlot(minute(0))], [minute(1), tradeSlot(minute(1), ['100', '105'])]] }]),
      );
    });

    it('keeps one checkpoint per projection; an empty delta still moves it', async () => {
      await store.commit('live', [delta('binance', 'BTC-USDT', { upserts: [[minute(0), tradeSlot(minute(0))]] })], 5);
      await store.commit('other', [], 9);
      await store.commit('live', [], 7);
      expect((await store.load('live')).checkpoint).toBe(7);
      expect((await store.load('other')).checkpoint).toBe(9);
      expect((await store.load('never-committed')).checkpoint).toBe(0);
    });

    it('checkpoint() gives the committed checkpoint of each projection, 0 when none and after clear', async () => {
      expect(await store.checkpoint('live')).toBe(0);
      await store.commit('live', [delta('binance', 'BTC-USDT', { upserts: [[minute(0), tradeSlot(minute(0))]] })], 12);
      await store.commit('other', [], 3);
      expect(await store.checkpoint('live')).toBe(12);
      expect(await store.checkpoint('other')).toBe(3);
      expect((await store.load('live')).checkpoint).toBe(12);
      await store.clear();
      expect(await store.checkpoint('live')).toBe(0);
    });

    it('evictions remove minutes and keep the series; evicting an unknown minute is harmless', async () => {
      await store.commit('live', [delta('binance', 'BTC-USDT', { upserts: [0, 1, 2].map((i) => [minute(i), tradeSlot(minute(i))] as const) })], 1);
      const evicting = delta('binance', 'BTC-USDT', { coveredFrom: minute(2), evictions: [minute(0), minute(1), minute(50)] });
      await store.commit('live', [evicting], 2);

      const { series } = await store.load('live');
      expect(canonicalSeries(series)).toEqual(canonicalSeries([{ ...metaOf(evicting), minutes: [[minute(2), tradeSlot(minute(2))]] }]));
      expect(canonicalMinutes(await store.minutes('BTC-USDT', minute(0), minute(3)))).toEqual(
        canonicalMinutes([{ exchange: 'binance', minute: minute(2), slot: tradeSlot(minute(2)) }]),
      );

      await store.commit('live', [{ ...evicting, evictions: [minute(2)] }], 3);
      expect(await store.minutes('BTC-USDT', minute(0), minute(3))).toEqual([]);
      expect(canonicalMetas(await store.seriesOf('BTC-USDT'))).toEqual(canonicalMetas([evicting]));
      expect(await store.symbols()).toEqual(['BTC-USDT']);
    });

    it('minutes(symbol, from, to) includes from, excludes to, and only that symbol', async () => {
      const upserts = [0, 1, 2, 3, 4].map((i) => [minute(i), tradeSlot(minute(i), [String(100 + i)])] as const);
      await store.commit('live', [delta('binance', 'BTC-USDT', { upserts }), delta('binance', 'ETH-USDT', { upserts })], 1);

      const got = await store.minutes('BTC-USDT', minute(1), minute(3));
      expect(canonicalMinutes(got)).toEqual(
        canonicalMinutes([1, 2].map((i) => ({ exchange: 'binance', minute: minute(i), slot: tradeSlot(minute(i), [String(100 + i)]) }))),
      );
      expect(await store.minutes('BTC-USDT', minute(2), minute(2))).toEqual([]);
      expect(await store.minutes('BTC-USDT', minute(1) + 1, minute(2))).toEqual([]);
      expect((await store.minutes('BTC-USDT', minute(4), minute(4) + 1)).map((r) => r.minute)).toEqual([minute(4)]);
      expect(await store.minutes('DOGE-EUR', minute(0), minute(5))).toEqual([]);
    });

    it('serves every exchange of a symbol, sorted by minute then exchange', async () => {
      await store.commit(
        'live',
        [
          delta('kraken', 'BTC-USDT', { upserts: [[minute(1), tradeSlot(minute(1), ['103'])], [minute(0), tradeSlot(minute(0), ['102'])]] }),
          delta('binance', 'BTC-USDT', { upserts: [[minute(1), tradeSlot(minute(1), ['101'])]] }),
          delta('coinbase', 'BTC-USDT', { upserts: [[minute(0), tradeSlot(minute(0), ['100'])]] }),
        ],
        1,
      );
      const got = await store.minutes('BTC-USDT', minute(0), minute(2));
      expect(got.map((r) => [r.minute, r.exchange])).toEqual([
        [minute(0), 'coinbase'],
        [minute(0), 'kraken'],
        [minute(1), 'binance'],
        [minute(1), 'kraken'],
      ]);
      expect(canonicalMinutes(got)[2]).toEqual({ exchange: 'binance', minute: minute(1), slot: storeSlot(tradeSlot(minute(1), ['101'])) });
    });

    it('seriesOf gives the metadata of each exchange; symbols are sorted and unique', async () => {
      const deltas = [
        delta('kraken', 'SOL-USD', { lateEvents: 1 }),
        delta('binance', 'BTC-USDT', { latest: latestTrade('binance', 'BTC-USDT', T0 + 5, 3), upserts: [[minute(0), tradeSlot(minute(0))]] }),
        delta('coinbase', 'BTC-USDT', { maxEventTime: T0 + 99, coveredFrom: minute(0) }),
      ];
      await store.commit('live', deltas, 1);
      expect(canonicalMetas(await store.seriesOf('BTC-USDT'))).toEqual(canonicalMetas([deltas[1]!, deltas[2]!]));
      expect(canonicalMetas(await store.seriesOf('SOL-USD'))).toEqual(canonicalMetas([deltas[0]!]));
      expect(await store.seriesOf('DOGE-EUR')).toEqual([]);
      expect(await store.symbols()).toEqual(['BTC-USDT', 'SOL-USD']);
    });

    it('clear drops series, minutes and checkpoints', async () => {
      await store.commit('live', [delta('binance', 'BTC-USDT', { upserts: [[minute(0), tradeSlot(minute(0))]] })], 5);
      await store.clear();
      expect(await store.load('live')).toEqual({ checkpoint: 0, series: [] });
      expect(await store.symbols()).toEqual([]);
      expect(await store.seriesOf('BTC-USDT')).toEqual([]);
      expect(await store.minutes('BTC-USDT', minute(0), minute(1))).toEqual([]);
    });

    // Not registered at all for an in-memory adapter (rather than skipped): it has nothing to reopen.
    if (options.persistent) it('keeps committed state across a reopen', async () => {
      if (h.reopen === undefined) throw new Error(`the ${name} harness is persistent but has no reopen`);
      const d = delta('binance', 'BTC-USDT', { upserts: [[minute(0), hugeSlot(minute(0))]], latest: latestTrade('binance', 'BTC-USDT', T0, 1) });
      await store.commit('live', [d], 11);
      store = await h.reopen();
      const loaded = await store.load('live');
      expect(loaded.checkpoint).toBe(11);
      expect(canonicalSeries(loaded.series)).toEqual(canonicalSeries([{ ...metaOf(d), minutes: d.upserts }]));
    });

    it('any sequence of commits loads as the plain model of the same deltas', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(commitArb, { maxLength: 6 }),
          fc.constantFrom(...SYMBOLS),
          fc.integer({ min: 0, max: MINUTES }),
          fc.integer({ min: 0, max: MINUTES }),
          async (commits, symbol, a, b) => {
            await store.clear();
            const model = new Model();
            for (const c of commits) {
              await store.commit(c.projection, c.deltas, c.checkpoint);
              model.commit(c.projection, c.deltas, c.checkpoint);
            }
            for (const projection of ['live', 'other']) {
              const loaded = await store.load(projection);
              expect(loaded.checkpoint).toBe(model.checkpoints.get(projection) ?? 0);
              expect(canonicalSeries(loaded.series)).toEqual(canonicalSeries(model.snapshots()));
            }
            const [from, to] = [minute(Math.min(a, b)), minute(Math.max(a, b))];
            expect(canonicalMinutes(await store.minutes(symbol, from, to))).toEqual(canonicalMinutes(model.minutes(symbol, from, to)));
            expect(await store.symbols()).toEqual(model.symbols());
          },
        ),
        { numRuns: 60 },
      );
    });
  });
}
