/**
 * The embedded LiveStore: plain in-process maps.
 *
 * Series are indexed symbol → exchange → minute, because every read path (`minutes`,
 * `seriesOf`) asks for one symbol; with 1000+ symbols a scan over all series per query would
 * dominate the realtime endpoint. A commit is applied synchronously inside the call (no await
 * before the last write), so no reader ever sees half a delta next to the new checkpoint.
 *
 * The state lives and dies with the process; the live projection rebuilds it from the ledger
 * at start-up, which is why its checkpoint lives here too and not in a durable place.
 */
import type { MinuteSlot } from '../../../domain/folds/minuteSlot.js';
import type { LiveStore, SeriesDelta, SeriesMeta, SeriesMinute, SeriesSnapshot } from '../../../domain/ports.js';

interface StoredSeries {
  meta: SeriesMeta;
  readonly minutes: Map<number, MinuteSlot>;
}

const metaOf = (d: SeriesDelta): SeriesMeta => ({
  exchange: d.exchange,
  symbol: d.symbol,
  maxEventTime: d.maxEventTime,
  lateEvents: d.lateEvents,
  coveredFrom: d.coveredFrom,
  latest: d.latest,
});

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const createMemoryLiveStore = (): LiveStore => {
  const checkpoints = new Map<string, number>();
  /** symbol → exchange → series. */
  const bySymbol = new Map<string, Map<string, StoredSeries>>();

  const apply = (d: SeriesDelta): void => {
    let exchanges = bySymbol.get(d.symbol);
    if (exchanges === undefined) bySymbol.set(d.symbol, (exchanges = new Map()));
    let s = exchanges.get(d.exchange);
    if (s === undefined) exchanges.set(d.exchange, (s = { meta: metaOf(d), minutes: new Map() }));
    else s.meta = metaOf(d);
    // Upserts before evictions: an evicted minute is gone from the committed state even if the
    // same delta also carried it (the live projection never sends both, but the order is fixed).
    for (const [minute, slot] of d.upserts) s.minutes.set(minute, slot);
    for (const minute of d.evictions) s.minutes.delete(minute);
  };

  /** Exchanges of one symbol in a stable order, so every read returns the same order. */
  const sortedSeries = (exchanges: Map<string, StoredSeries>): StoredSeries[] =>
    [...exchanges.values()].sort((a, b) => byText(a.meta.exchange, b.meta.exchange));

  const snapshot = (s: StoredSeries): SeriesSnapshot => ({
    ...s.meta,
    minutes: [...s.minutes.entries()].sort(([a], [b]) => a - b),
  });

  return {
    async load(projection) {
      const series: SeriesSnapshot[] = [];
      for (const symbol of [...bySymbol.keys()].sort(byText)) {
        for (const s of sortedSeries(bySymbol.get(symbol)!)) series.push(snapshot(s));
      }
      return { checkpoint: checkpoints.get(projection) ?? 0, series };
    },

    async commit(projection, delta, checkpoint) {
      for (const d of delta) apply(d);
      checkpoints.set(projection, checkpoint);
    },

    async checkpoint(projection) {
      return checkpoints.get(projection) ?? 0;
    },

    async seriesOf(symbol) {
      const exchanges = bySymbol.get(symbol);
      return exchanges === undefined ? [] : sortedSeries(exchanges).map((s) => s.meta);
    },

    async minutes(symbol, from, to) {
      const exchanges = bySymbol.get(symbol);
      if (exchanges === undefined) return [];
      const out: SeriesMinute[] = [];
      for (const s of exchanges.values()) {
        for (const [minute, slot] of s.minutes) {
          if (minute >= from && minute < to) out.push({ exchange: s.meta.exchange, minute, slot });
        }
      }
      return out.sort((a, b) => a.minute - b.minute || byText(a.exchange, b.exchange));
    },

    async symbols() {
      return [...bySymbol.keys()].sort(byText);
    },

    async clear() {
      checkpoints.clear();
      bySymbol.clear();
    },

    async close() {
      // Nothing to release; the maps go with the store object.
    },
  };
};
