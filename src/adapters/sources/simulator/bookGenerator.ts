/**
 * Simulated order books with spoofing episodes injected, and the ground truth of where they are:
 * the input of the spoofing detector's recall test and of a demo's books. One book: a snapshot,
 * then one update every `stepMs` from a seeded PRNG (the same seed, the same rows).
 *
 * The ordinary book: 20 levels a side one tick apart, quantities around `typical`; each step some
 * level near the touch changes size, the touch is sometimes traded away (removed at the touch) and
 * refilled behind. Decoys that must not be alarmed on: large orders that rest for 10-30 s before
 * their cancellation, and large orders at the touch that are traded away within seconds.
 * An episode: `rounds` large orders (8-15 × typical), each 2-4 ticks behind the touch on one side,
 * cancelled 1-3 s after it was placed, one every 4-6 s.
 */
import type { BookItem } from '../../../domain/ports.js';
import { createRng } from '../../../domain/prng.js';

export interface BookScenarioOptions {
  readonly seed: number;
  readonly exchange: string;
  readonly symbol: string;
  readonly start: number;
  readonly durationMs: number;
  readonly stepMs: number;
  readonly episodes: number;
  readonly rounds: number;
}

export interface InjectedEpisode {
  readonly side: 'bids' | 'asks';
  /** When its first order was placed and its last cancelled. */
  readonly start: number;
  readonly end: number;
}

export interface BookScenario {
  readonly items: BookItem[];
  readonly episodes: InjectedEpisode[];
}

const TICK = 0.01;
const BASE = 100;
const LEVELS = 20;
const TYPICAL = 2;

const priceOf = (tick: number): string => (BASE + tick * TICK).toFixed(2);
const qtyText = (q: number): string => q.toFixed(4);

export const generateBookScenario = (o: BookScenarioOptions): BookScenario => {
  const rng = createRng(o.seed);
  const sides = { bids: new Map<number, number>(), asks: new Map<number, number>() };
  for (let i = 0; i < LEVELS; i++) {
    sides.bids.set(-1 - i, TYPICAL * (0.5 + rng.next()));
    sides.asks.set(1 + i, TYPICAL * (0.5 + rng.next()));
  }
  const best = (side: 'bids' | 'asks'): number => (side === 'bids' ? Math.max(...sides.bids.keys()) : Math.min(...sides.asks.keys()));
  const worst = (side: 'bids' | 'asks'): number => (side === 'bids' ? Math.min(...sides.bids.keys()) : Math.max(...sides.asks.keys()));
  const away = (side: 'bids' | 'asks'): number => (side === 'bids' ? -1 : 1);

  const snapshotLevels = (side: 'bids' | 'asks'): Array<[string, string]> =>
    [...sides[side]].sort((a, b) => (side === 'bids' ? b[0] - a[0] : a[0] - b[0])).map(([t, q]) => [priceOf(t), qtyText(q)]);
  const items: BookItem[] = [
    { kind: 'bookSnapshot', data: { exchange: o.exchange, symbol: o.symbol, bids: snapshotLevels('bids'), asks: snapshotLevels('asks'), eventTime: o.start } },
  ];

  // Scheduled actions (placements and cancellations), by step.
  const schedule = new Map<number, Array<() => void>>();
  const at = (step: number, f: () => void): void => {
    const list = schedule.get(step) ?? [];
    list.push(f);
    schedule.set(step, list);
  };
  const steps = Math.floor(o.durationMs / o.stepMs);
  const episodes: InjectedEpisode[] = [];
  const changes: { bids: Map<number, number>; asks: Map<number, number> } = { bids: new Map(), asks: new Map() };
  const set = (side: 'bids' | 'asks', tick: number, qty: number): void => {
    if (qty <= 0) sides[side].delete(tick);
    else sides[side].set(tick, qty);
    changes[side].set(tick, Math.max(qty, 0));
  };
  /** A large order placed `behind` ticks behind the touch, cancelled `lifeSteps` later (if still there). */
  const placeLarge = (side: 'bids' | 'asks', step: number, behind: number, size: number, lifeSteps: number, onCancel: 'cancel' | 'trade'): void => {
    const placed: { tick: number | undefined } = { tick: undefined };
    at(step, () => {
      const tick = best(side) + away(side) * behind;
      placed.tick = tick;
      set(side, tick, (sides[side].get(tick) ?? 0) + size);
    });
    at(step + lifeSteps, () => {
      if (placed.tick === undefined || !sides[side].has(placed.tick)) return;
      if (onCancel === 'trade') {
        // Traded away: everything better goes first, then the large level, all at the touch.
        for (const t of [...sides[side].keys()]) if ((side === 'bids' ? t > placed.tick : t < placed.tick)) set(side, t, 0);
      }
      set(side, placed.tick, 0);
    });
  };

  // Episodes, spread over the run with room for their rounds.
  const span = Math.ceil((o.rounds * 6_000) / o.stepMs) + 10;
  const slot = Math.floor(steps / Math.max(1, o.episodes));
  for (let e = 0; e < o.episodes; e++) {
    const side = rng.next() < 0.5 ? 'bids' : 'asks';
    let step = e * slot + Math.floor(rng.next() * Math.max(1, slot - span));
    const first = step;
    let last = step;
    for (let r = 0; r < o.rounds; r++) {
      const life = Math.round(rng.between(1_000, 3_000) / o.stepMs);
      placeLarge(side, step, 2 + rng.int(3), TYPICAL * rng.between(8, 15), life, 'cancel');
      last = step + life;
      step += Math.round(rng.between(4_000, 6_000) / o.stepMs);
    }
    episodes.push({ side, start: o.start + first * o.stepMs, end: o.start + last * o.stepMs });
  }
  // Decoys: large orders that rest long, and large orders at the touch that trade within seconds.
  for (let d = 0; d < Math.floor(steps / 300); d++) {
    const side = rng.next() < 0.5 ? 'bids' : 'asks';
    const step = rng.int(steps);
    if (rng.next() < 0.5) placeLarge(side, step, 1 + rng.int(3), TYPICAL * rng.between(8, 15), Math.round(rng.between(10_000, 30_000) / o.stepMs), 'cancel');
    else placeLarge(side, step, 0, TYPICAL * rng.between(8, 15), Math.round(rng.between(500, 3_000) / o.stepMs), 'trade');
  }

  for (let s = 1; s <= steps; s++) {
    changes.bids.clear();
    changes.asks.clear();
    for (const f of schedule.get(s) ?? []) f();
    const side = rng.next() < 0.5 ? 'bids' : 'asks';
    const r = rng.next();
    if (r < 0.6) {
      // Ordinary size changes among the best ten levels.
      const ticks = [...sides[side].keys()].sort((a, b) => (side === 'bids' ? b - a : a - b)).slice(0, 10);
      const tick = ticks[rng.int(ticks.length)]!;
      set(side, tick, TYPICAL * (0.5 + rng.next()));
    } else if (r < 0.7 && sides[side].size > 5) {
      // The touch traded away, a level added at the back.
      set(side, best(side), 0);
      set(side, worst(side) + away(side), TYPICAL * (0.5 + rng.next()));
    } else if (r < 0.8 && best('asks') - best('bids') > 1) {
      // The spread narrowed by a new level inside it.
      set(side, best(side) - away(side), TYPICAL * (0.5 + rng.next()));
    }
    const levels = (sd: 'bids' | 'asks'): Array<[string, string]> => [...changes[sd]].map(([t, q]) => [priceOf(t), q === 0 ? '0' : qtyText(q)]);
    if (changes.bids.size + changes.asks.size > 0) {
      items.push({ kind: 'bookUpdate', data: { exchange: o.exchange, symbol: o.symbol, bids: levels('bids'), asks: levels('asks'), eventTime: o.start + s * o.stepMs } });
    }
  }
  return { items, episodes };
};
