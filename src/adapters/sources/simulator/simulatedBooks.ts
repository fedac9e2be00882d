/**
 * The simulator's order books: one per exchange and symbol, quoted from the mid, basis and spread
 * the trade tape prices from, so every trade happens at the touch: before a trade the book's best
 * ask (a buy) or best bid (a sell) is the trade's price and holds at least its quantity, and after
 * it that level has lost exactly the quantity traded. Each book starts with a snapshot (sequence
 * 1); every later change is an update numbered the previous + 1 (`prevSequence` says which), as
 * OKX numbers its books.
 *
 * Levels: the touch at the quoted price, then a grid one basis point apart behind it, `LEVELS` a
 * side. When the quote moves towards a side, the levels it passes are taken (removed at the
 * touch); when it moves away, the old touch stays as a deeper level. Between trades some level
 * near the touch changes size, as other traders join and leave.
 *
 * Spoofing episodes (the ground truth comes back from `injected`): `rounds` large orders
 * (8-15 × a level's typical size) on one side, each at a price of its own 4-8 levels (basis
 * points) behind the touch, where the quote's own jitter (about a basis point a trade) seldom
 * reaches it, cancelled 1-3 s after it was placed unless the market took it first, one every 4-6 s.
 * Decoys that are not spoofing: large orders resting 10-30 s before their cancellation, and the
 * large trades themselves (a taker's size joins the touch and is traded away).
 *
 * A random stream of its own (from the seed): the trade tape is the same with books or without.
 */
import type { SourceItem } from '../../../domain/ports.js';
import { createRng } from '../../../domain/prng.js';
import { formatPositive } from './decimalText.js';
import type { SpoofingEpisodeInjected } from './marketEvents.js';

export interface BookInstrument {
  readonly symbol: string;
  readonly priceDecimals: number;
  readonly quantityDecimals: number;
  /** Activity weight: episodes pick symbols as trades do. */
  readonly weight: number;
  /** Quote-currency value of an ordinary level. */
  readonly levelNotional: number;
}

export interface PlannedSpoofing {
  readonly symbol: string;
  readonly at: number;
  readonly exchange?: string;
  readonly side?: 'bids' | 'asks';
}

export interface SimulatedBooksOptions {
  readonly seed: number;
  readonly exchanges: readonly string[];
  readonly instruments: readonly BookInstrument[];
  readonly startTime: number;
  /** Expected spoofing episodes per hour of event time over every book (default 6). */
  readonly spoofingPerHour: number;
  readonly planned: readonly PlannedSpoofing[];
}

export interface SimulatedBooks {
  /** Appends the book changes due at or before `t` (placements, cancellations) as updates. */
  flushUntil(out: SourceItem[], t: number): void;
  /** The book quoted at `bidTicks`/`askTicks` before a trade of `lots` at `t`, the hit touch holding at least `lots`. */
  beforeTrade(out: SourceItem[], exchange: number, symbol: number, t: number, bidTicks: number, askTicks: number, buy: boolean, lots: number): void;
  /** The hit touch less the `lots` traded, and some other level's size changed. */
  afterTrade(out: SourceItem[], exchange: number, symbol: number, t: number, buy: boolean, lots: number): void;
  injected(): readonly SpoofingEpisodeInjected[];
}

type Side = 'bids' | 'asks';

const LEVELS = 20;
const GRID_BPS = 1;
const ROUNDS = 4;
/** Decoys: large orders that rest long, this many per spoofing episode. */
const DECOYS_PER_EPISODE = 2;
const HOUR = 3_600_000;

interface Book {
  readonly exchange: string;
  readonly instrument: BookInstrument;
  readonly grid: number;
  readonly typical: number;
  readonly bids: Map<number, number>;
  readonly asks: Map<number, number>;
  /** Prices holding an injected order (spoof or decoy): ordinary size changes leave them alone. */
  readonly placed: Set<number>;
  readonly changes: { readonly bids: Map<number, number>; readonly asks: Map<number, number> };
  sequence: number;
}

interface Action {
  readonly at: number;
  readonly order: number;
  /** Appends what it changed to `out`, the batch being filled when it comes due. */
  readonly run: (out: SourceItem[]) => void;
}

export const createSimulatedBooks = (o: SimulatedBooksOptions): SimulatedBooks => {
  // A stream of its own, so the trade tape does not depend on whether books are on.
  const rng = createRng(o.seed * 7919 + 104_729);
  const n = o.instruments.length;
  const books: Array<Book | undefined> = new Array<Book | undefined>(o.exchanges.length * n);
  const injected: SpoofingEpisodeInjected[] = [];
  const actions: Action[] = [];
  let actionOrder = 0;
  const indexOf = new Map(o.instruments.map((x, i) => [x.symbol, i]));
  const planned = [...o.planned].sort((a, b) => a.at - b.at);
  let nextPlanned = 0;
  const ratePerMs = o.spoofingPerHour / HOUR;
  let nextEpisode = ratePerMs > 0 ? o.startTime + rng.exponential() / ratePerMs : Infinity;
  let totalWeight = 0;
  for (const x of o.instruments) totalWeight += x.weight;

  const priceText = (b: Book, ticks: number): string => formatPositive(ticks / 10 ** b.instrument.priceDecimals, b.instrument.priceDecimals, 10 ** b.instrument.priceDecimals);
  const lotsText = (b: Book, lots: number): string => formatPositive(lots / 10 ** b.instrument.quantityDecimals, b.instrument.quantityDecimals, 10 ** b.instrument.quantityDecimals);
  const ordinary = (b: Book): number => Math.max(1, Math.round(b.typical * (0.5 + rng.next())));
  const away = (side: Side): number => (side === 'bids' ? -1 : 1);
  const better = (side: Side, a: number, than: number): boolean => (side === 'bids' ? a > than : a < than);

  const set = (b: Book, side: Side, tick: number, lots: number): void => {
    if (lots <= 0) {
      if (!b[side].has(tick)) return;
      b[side].delete(tick);
      b.placed.delete(tick);
    } else b[side].set(tick, lots);
    b.changes[side].set(tick, Math.max(0, lots));
  };
  const best = (b: Book, side: Side): number | undefined => {
    let out: number | undefined;
    for (const t of b[side].keys()) if (out === undefined || better(side, t, out)) out = t;
    return out;
  };
  /** The `k`-th grid price behind `touch` (k ≥ 1). */
  const gridBehind = (b: Book, side: Side, touch: number, k: number): number =>
    side === 'bids' ? b.grid * Math.floor((touch - 1) / b.grid) - (k - 1) * b.grid : b.grid * Math.ceil((touch + 1) / b.grid) + (k - 1) * b.grid;

  const emitUpdate = (out: SourceItem[], b: Book, t: number): void => {
    if (b.changes.bids.size + b.changes.asks.size === 0) return;
    const levels = (side: Side): Array<[string, string]> => [...b.changes[side]].map(([tick, lots]) => [priceText(b, tick), lots === 0 ? '0' : lotsText(b, lots)]);
    const sequence = ++b.sequence;
    out.push({
      kind: 'bookUpdate',
      data: { exchange: b.exchange, symbol: b.instrument.symbol, bids: levels('bids'), asks: levels('asks'), eventTime: t, sequence, prevSequence: sequence - 1 },
    });
    b.changes.bids.clear();
    b.changes.asks.clear();
  };

  /** The side quoted at `touch`: better levels taken, the touch present, the grid behind it filled to LEVELS and cut there. */
  const quoteSide = (b: Book, side: Side, touch: number): void => {
    for (const tick of [...b[side].keys()]) if (better(side, tick, touch)) set(b, side, tick, 0);
    if (!b[side].has(touch)) set(b, side, touch, ordinary(b));
    for (let k = 1; k < LEVELS; k++) {
      const tick = gridBehind(b, side, touch, k);
      if (tick > 0 && !b[side].has(tick)) set(b, side, tick, ordinary(b));
    }
    const last = gridBehind(b, side, touch, LEVELS - 1);
    for (const tick of [...b[side].keys()]) if (better(side, last, tick)) set(b, side, tick, 0);
  };

  const open = (out: SourceItem[], e: number, i: number, t: number, bidTicks: number, askTicks: number): Book => {
    const instrument = o.instruments[i]!;
    const scale = 10 ** instrument.priceDecimals;
    const price = askTicks / scale;
    const b: Book = {
      exchange: o.exchanges[e]!,
      instrument,
      grid: Math.max(1, Math.round((askTicks * GRID_BPS) / 10_000)),
      typical: Math.max(1, Math.round((instrument.levelNotional / price) * 10 ** instrument.quantityDecimals)),
      bids: new Map(),
      asks: new Map(),
      placed: new Set(),
      changes: { bids: new Map(), asks: new Map() },
      sequence: 1,
    };
    quoteSide(b, 'bids', bidTicks);
    quoteSide(b, 'asks', askTicks);
    b.changes.bids.clear();
    b.changes.asks.clear();
    const levels = (side: Side): Array<[string, string]> =>
      [...b[side]].sort((x, y) => (side === 'bids' ? y[0] - x[0] : x[0] - y[0])).map(([tick, lots]) => [priceText(b, tick), lotsText(b, lots)]);
    out.push({ kind: 'bookSnapshot', data: { exchange: b.exchange, symbol: instrument.symbol, bids: levels('bids'), asks: levels('asks'), eventTime: t, sequence: 1 } });
    books[e * n + i] = b;
    return b;
  };

  const schedule = (at: number, run: (out: SourceItem[]) => void): void => {
    const a: Action = { at, order: actionOrder++, run };
    let lo = 0;
    let hi = actions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (actions[mid]!.at <= at) lo = mid + 1;
      else hi = mid;
    }
    actions.splice(lo, 0, a);
  };

  /** A large order of its own price `behind` levels behind the touch at `at`, cancelled at `until` unless taken first. */
  const placeLarge = (b: Book, side: Side, at: number, until: number, behind: number, multiple: number): void => {
    schedule(at, (out) => {
      const touch = best(b, side);
      if (touch === undefined) return;
      const tick = gridBehind(b, side, touch, behind) + (b.grid >= 2 ? away(side) * Math.floor(b.grid / 2) : 0);
      if (tick <= 0) return;
      set(b, side, tick, (b.placed.has(tick) ? b[side].get(tick)! : 0) + Math.round(b.typical * multiple));
      b.placed.add(tick);
      emitUpdate(out, b, at);
      schedule(until, (later) => {
        if (!b.placed.has(tick)) return;
        set(b, side, tick, 0);
        emitUpdate(later, b, until);
      });
    });
  };

  const startEpisode = (b: Book, side: Side, at: number): void => {
    const times: Array<[number, number]> = [];
    let place = at;
    for (let r = 0; r < ROUNDS; r++) {
      const life = Math.round(rng.between(1_000, 3_000));
      times.push([place, place + life]);
      place += Math.round(rng.between(4_000, 6_000));
    }
    const episode: SpoofingEpisodeInjected = { kind: 'spoofing', symbol: b.instrument.symbol, exchange: b.exchange, side, startTime: at, endTime: times[ROUNDS - 1]![1], rounds: ROUNDS };
    schedule(at, () => injected.push(episode));
    for (const [from, to] of times) placeLarge(b, side, from, to, 4 + rng.int(5), rng.between(8, 15));
  };

  const startDecoy = (b: Book, at: number): void => {
    const from = at + Math.round(rng.between(0, 60_000));
    placeLarge(b, rng.next() < 0.5 ? 'bids' : 'asks', from, from + Math.round(rng.between(10_000, 30_000)), 2 + rng.int(7), rng.between(8, 15));
  };

  const pickBook = (): Book | undefined => {
    let r = rng.next() * totalWeight;
    let i = n - 1;
    for (let k = 0; k < n; k++) {
      r -= o.instruments[k]!.weight;
      if (r < 0) {
        i = k;
        break;
      }
    }
    return books[rng.int(o.exchanges.length) * n + i];
  };

  const flushUntil = (out: SourceItem[], t: number): void => {
    while (nextPlanned < planned.length && planned[nextPlanned]!.at <= t) {
      const p = planned[nextPlanned++]!;
      const i = indexOf.get(p.symbol);
      const e = p.exchange === undefined ? 0 : o.exchanges.indexOf(p.exchange);
      const b = i === undefined || e < 0 ? undefined : books[e * n + i];
      if (b !== undefined) startEpisode(b, p.side ?? 'bids', p.at);
    }
    while (nextEpisode <= t) {
      const at = Math.floor(nextEpisode);
      const side = rng.next() < 0.5 ? 'bids' : 'asks';
      const b = pickBook();
      // Only books that trade already: an episode needs a touch to hide behind.
      if (b !== undefined) {
        startEpisode(b, side, at);
        for (let d = 0; d < DECOYS_PER_EPISODE; d++) {
          const decoyBook = pickBook();
          if (decoyBook !== undefined) startDecoy(decoyBook, at);
        }
      }
      nextEpisode += rng.exponential() / ratePerMs;
    }
    while (actions.length > 0 && actions[0]!.at <= t) actions.shift()!.run(out);
  };

  return {
    flushUntil,
    beforeTrade(out, e, i, t, bidTicks, askTicks, buy, lots) {
      const bid = Math.min(bidTicks, askTicks - 1);
      const b = books[e * n + i] ?? open(out, e, i, t, bid, askTicks);
      quoteSide(b, 'bids', bid);
      quoteSide(b, 'asks', askTicks);
      const side: Side = buy ? 'asks' : 'bids';
      const touch = buy ? askTicks : bid;
      // A taker larger than the touch: the rest of its size was resting there too (it is a fill, not a sweep).
      if (b[side].get(touch)! < lots) set(b, side, touch, lots + ordinary(b));
      emitUpdate(out, b, t);
    },
    afterTrade(out, e, i, t, buy, lots) {
      const b = books[e * n + i]!;
      const side: Side = buy ? 'asks' : 'bids';
      const touch = best(b, side)!;
      set(b, side, touch, b[side].get(touch)! - lots);
      // Someone else changes a level near the touch (not the one just traded: its change is the trade's).
      const other: Side = rng.next() < 0.5 ? 'bids' : 'asks';
      const near = [...b[other].keys()].filter((x) => !b.placed.has(x) && !(other === side && x === touch)).sort((x, y) => (better(other, x, y) ? -1 : 1)).slice(0, 10);
      if (near.length > 0) set(b, other, near[rng.int(near.length)]!, ordinary(b));
      emitUpdate(out, b, t);
    },
    injected: () => injected,
  };
};
