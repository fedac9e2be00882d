/**
 * The spoofing detector over simulated books with injected episodes (the simulator's ground
 * truth): recall and false alarms over several seeds, the figures the README reports; and, over
 * any seed, every episode's evidence is what the definition says (enough vanishings, each large,
 * short-lived, within the window).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateBookScenario, type BookScenario } from '../../../../src/adapters/sources/simulator/bookGenerator.js';
import type { BookRow } from '../../../../src/domain/orderbook/archive/bookRow.js';
import { OrderBook } from '../../../../src/domain/orderbook/orderBook.js';
import { createSpoofingDetector, DEFAULT_SPOOFING_PARAMS, type SpoofingEpisode } from '../../../../src/domain/orderbook/signals/spoofing.js';

const T0 = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

const scenario = (seed: number, episodes = 10, durationMs = HOUR): BookScenario =>
  generateBookScenario({ seed, exchange: 'okx', symbol: 'BTC-USDT', start: T0, durationMs, stepMs: 100, episodes, rounds: 4 });

const detect = (s: BookScenario): SpoofingEpisode[] => {
  const book = new OrderBook('okx', 'BTC-USDT');
  const detector = createSpoofingDetector();
  const found: SpoofingEpisode[] = [];
  for (const item of s.items) {
    const row = { ...item, origin: 'exchange' } as BookRow;
    if (row.kind === 'bookSnapshot') book.replace(row.data.bids, row.data.asks);
    else book.change(row.data.bids, row.data.asks);
    found.push(...detector.onRow(row, book));
  }
  return found;
};

/** A detection is true when it falls inside an injected episode on the same side. */
const score = (s: BookScenario, found: readonly SpoofingEpisode[]): { recall: number; falseAlarms: number } => {
  const hit = (e: SpoofingEpisode, truth: BookScenario['episodes'][number]): boolean => e.side === truth.side && e.raisedAt >= truth.start && e.raisedAt <= truth.end;
  return {
    recall: s.episodes.filter((t) => found.some((e) => hit(e, t))).length / s.episodes.length,
    falseAlarms: found.filter((e) => !s.episodes.some((t) => hit(e, t))).length,
  };
};

describe('spoofing detector on simulated books', () => {
  it('finds the injected episodes (recall ≥ 0.9) with at most one false alarm per simulated hour, over five seeds', () => {
    const results = [11, 12, 13, 14, 15].map((seed) => score(scenario(seed), detect(scenario(seed))));
    const recall = results.reduce((s, r) => s + r.recall, 0) / results.length;
    const falseAlarms = results.reduce((s, r) => s + r.falseAlarms, 0);
    console.info(`spoofing: recall ${recall.toFixed(3)}, false alarms ${falseAlarms} in ${results.length} simulated hours (${results.length * 10} episodes, 4 rounds each)`);
    expect(recall).toBeGreaterThanOrEqual(0.9);
    expect(falseAlarms).toBeLessThanOrEqual(results.length);
  }, 180_000);

  it('raises nothing on a book with no episode: decoys (long-resting large orders, large orders traded at the touch) are not spoofing', () => {
    const s = scenario(21, 0);
    expect(detect(s)).toEqual([]);
  }, 60_000);

  it('every episode it raises carries the evidence its definition requires', () => {
    const p = DEFAULT_SPOOFING_PARAMS;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        for (const e of detect(scenario(seed, 3, 10 * 60_000))) {
          expect(e.vanished.length).toBeGreaterThanOrEqual(p.minRepeats);
          for (const v of e.vanished) {
            expect(v.side).toBe(e.side);
            expect(v.vanishedAt - v.appearedAt).toBeLessThanOrEqual(p.maxLifetimeMs);
            expect(e.raisedAt - v.vanishedAt).toBeLessThanOrEqual(p.windowMs);
            expect(Number(v.size)).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 10 },
    );
  }, 60_000);
});
