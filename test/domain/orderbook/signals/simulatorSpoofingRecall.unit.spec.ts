/**
 * The spoofing detector (default parameters) over the simulator's own books (`--source simulator
 * --channels trades,books`): books quoted from the trade tape, trades at the touch, spoofing
 * episodes injected with their ground truth. Recall and false alarms per seed, printed as the
 * README's table (regenerate it with this file). A detection is true when it is on an injected
 * episode's exchange, symbol and side, raised between its first placement and its last
 * cancellation; a false alarm is a detection no injected episode explains.
 */
import { describe, expect, it } from 'vitest';
import type { SpoofingEpisodeInjected } from '../../../../src/adapters/sources/simulator/marketEvents.js';
import { createSimulatorSource } from '../../../../src/adapters/sources/simulator/simulatorSource.js';
import type { BookRow } from '../../../../src/domain/orderbook/archive/bookRow.js';
import { OrderBook } from '../../../../src/domain/orderbook/orderBook.js';
import { createSpoofingDetector, type SpoofingDetector, type SpoofingEpisode } from '../../../../src/domain/orderbook/signals/spoofing.js';

const SEEDS = [1, 2, 3, 4, 5];
const SYMBOLS = 6;
const TRADES_PER_SECOND = 20;
const MINUTES = 45;
const SPOOFING_PER_HOUR = 40;

interface SeedResult {
  readonly seed: number;
  readonly hours: number;
  readonly episodes: number;
  readonly detected: number;
  readonly falseAlarms: number;
}

const runSeed = async (seed: number): Promise<SeedResult> => {
  const source = createSimulatorSource({ seed, symbols: SYMBOLS, tradesPerSecond: TRADES_PER_SECOND, maxTrades: TRADES_PER_SECOND * 60 * MINUTES, books: true, spoofingPerHour: SPOOFING_PER_HOUR });
  const books = new Map<string, { book: OrderBook; detector: SpoofingDetector }>();
  const found: SpoofingEpisode[] = [];
  let first = Infinity;
  let last = 0;
  await source.run(async ({ items }) => {
    for (const item of items) {
      if (item.kind !== 'bookSnapshot' && item.kind !== 'bookUpdate') continue;
      const { exchange, symbol, eventTime } = item.data;
      first = Math.min(first, eventTime);
      last = eventTime;
      const key = `${exchange}/${symbol}`;
      let b = books.get(key);
      if (b === undefined) books.set(key, (b = { book: new OrderBook(exchange, symbol), detector: createSpoofingDetector() }));
      if (item.kind === 'bookSnapshot') b.book.replace(item.data.bids, item.data.asks);
      else b.book.change(item.data.bids, item.data.asks);
      found.push(...b.detector.onRow({ ...item, origin: 'exchange' } as BookRow, b.book));
    }
  }, new AbortController().signal);
  const injected = source.injectedEvents().filter((e): e is SpoofingEpisodeInjected => e.kind === 'spoofing');
  const explains = (t: SpoofingEpisodeInjected, e: SpoofingEpisode): boolean =>
    t.exchange === e.exchange && t.symbol === e.symbol && t.side === e.side && e.raisedAt >= t.startTime && e.raisedAt <= t.endTime;
  const complete = injected.filter((t) => t.endTime <= last);
  return {
    seed,
    hours: (last - first) / 3_600_000,
    episodes: complete.length,
    detected: complete.filter((t) => found.some((e) => explains(t, e))).length,
    falseAlarms: found.filter((e) => !injected.some((t) => explains(t, e))).length,
  };
};

describe('spoofing detector on the simulator’s books', () => {
  it(`finds the injected episodes over seeds ${SEEDS.join(', ')} (recall ≥ 0.8 each, ≥ 0.85 overall) with at most one false alarm per simulated hour`, async () => {
    const results: SeedResult[] = [];
    for (const seed of SEEDS) results.push(await runSeed(seed));
    const rows = results.map((r) => `| ${r.seed} | ${r.hours.toFixed(2)} | ${r.episodes} | ${r.detected}/${r.episodes} (${((100 * r.detected) / r.episodes).toFixed(0)}%) | ${r.falseAlarms} |`);
    const total = results.reduce((s, r) => ({ episodes: s.episodes + r.episodes, detected: s.detected + r.detected, falseAlarms: s.falseAlarms + r.falseAlarms }), { episodes: 0, detected: 0, falseAlarms: 0 });
    console.info(
      [
        `simulator books: ${SYMBOLS} symbols × 2 exchanges, ${TRADES_PER_SECOND} trades/s, ${SPOOFING_PER_HOUR} episodes/h, ${MINUTES} min per seed`,
        '| seed | hours | episodes | detected | false alarms |',
        '|---|---:|---:|---:|---:|',
        ...rows,
        `| all | ${results.reduce((s, r) => s + r.hours, 0).toFixed(2)} | ${total.episodes} | ${total.detected}/${total.episodes} (${((100 * total.detected) / total.episodes).toFixed(0)}%) | ${total.falseAlarms} |`,
      ].join('\n'),
    );
    for (const r of results) {
      expect(r.episodes, `seed ${r.seed}`).toBeGreaterThanOrEqual(10);
      expect(r.detected / r.episodes, `seed ${r.seed}`).toBeGreaterThanOrEqual(0.8);
    }
    expect(total.detected / total.episodes).toBeGreaterThanOrEqual(0.85);
    // At most one false alarm per simulated hour, as on the synthetic books.
    expect(total.falseAlarms).toBeLessThanOrEqual(results.reduce((s, r) => s + r.hours, 0));
  }, 900_000);
});
