/**
 * Spoofing and layering over one book's updates: large resting orders placed near the touch that
 * vanish within seconds without trading, repeatedly. A pure fold over the book's rows in order
 * (with the book as it stands after each), no clock: a replay of the lake gives the same episodes.
 *
 *   large      a level whose quantity reaches `sizeMultiple` × the median quantity of the side's
 *              best `referenceLevels` levels when it appears (or grows to that);
 *   near       its price within `nearTouchBps` of the same side's best price then;
 *   vanished   removed (quantity 0) within `maxLifetimeMs` of appearing;
 *   untraded   not at the touch when removed: a fill takes the best level first, so a level
 *              removed behind the best was cancelled, not hit. (A level removed at the touch may
 *              have traded and is not counted: the detector errs towards silence.)
 *   repeatedly `minRepeats` such vanishings on one side of one book within `windowMs` raise one
 *              alert; the side's next is raised from vanishings all later than `windowMs` after it.
 *
 * The evidence names every vanished level: side, price, size, when it appeared and vanished.
 */
import { readArray, readFinite, readMap, readNumber, readObject, readString, saveMap, SavedStateError } from '../../detectors/savedState.js';
import type { BookRow } from '../archive/bookRow.js';
import type { OrderBook } from '../orderBook.js';

export const spoofingParams = {
  sizeMultiple: { default: 5, min: 1.5, max: 1_000, help: 'a large level: this many times the median quantity of the best levels of its side' },
  referenceLevels: { default: 10, min: 3, max: 200, integer: true, help: 'best levels of a side whose median quantity is the yardstick' },
  nearTouchBps: { default: 25, min: 0, max: 1_000, help: 'a level near the touch: within this many basis points of its side best price' },
  maxLifetimeMs: { default: 5_000, min: 100, max: 600_000, integer: true, help: 'a vanishing: removed within this long of appearing, ms' },
  minRepeats: { default: 3, min: 2, max: 100, integer: true, help: 'vanishings on one side within windowMs that make an episode' },
  windowMs: { default: 60_000, min: 1_000, max: 3_600_000, integer: true, help: 'window the vanishings are counted over, and the quiet that ends an episode, ms' },
} as const;
export type SpoofingParams = { readonly [K in keyof typeof spoofingParams]: number };

export const DEFAULT_SPOOFING_PARAMS: SpoofingParams = Object.fromEntries(Object.entries(spoofingParams).map(([k, p]) => [k, p.default])) as SpoofingParams;

type Side = 'bids' | 'asks';

export interface VanishedLevel {
  readonly side: Side;
  readonly price: string;
  /** The largest quantity it showed. */
  readonly size: string;
  readonly appearedAt: number;
  readonly vanishedAt: number;
}

export interface SpoofingEpisode {
  readonly exchange: string;
  readonly symbol: string;
  readonly side: Side;
  /** Event time of the first vanishing counted. */
  readonly start: number;
  /** Event time of the vanishing that made it an episode. */
  readonly raisedAt: number;
  readonly vanished: readonly VanishedLevel[];
}

interface Tracked {
  readonly appearedAt: number;
  size: string;
}

export interface SpoofingDetector {
  /** Folds one row, given the book after it; returns the episodes it raises. */
  onRow(row: BookRow, bookAfter: OrderBook): readonly SpoofingEpisode[];
  /** Its whole state as plain data (detectors/savedState.ts), for the book signals' snapshot. */
  save(): unknown;
  /** Replaces its state with a saved one (same params); throws SavedStateError naming what is wrong. */
  load(state: unknown, path: string): void;
}

const SIDES = ['bids', 'asks'] as const;

const readSide = (u: unknown, path: string): Side => {
  if (u !== 'bids' && u !== 'asks') throw new SavedStateError(path, '"bids" or "asks"', u);
  return u;
};

const readVanished = (u: unknown, path: string): VanishedLevel => {
  const o = readObject(u, path);
  return {
    side: readSide(o['side'], `${path}.side`),
    price: readString(o['price'], `${path}.price`),
    size: readString(o['size'], `${path}.size`),
    appearedAt: readFinite(o['appearedAt'], `${path}.appearedAt`),
    vanishedAt: readFinite(o['vanishedAt'], `${path}.vanishedAt`),
  };
};

const median = (xs: number[]): number => {
  const s = xs.sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export const createSpoofingDetector = (p: SpoofingParams = DEFAULT_SPOOFING_PARAMS): SpoofingDetector => {
  const tracked = { bids: new Map<string, Tracked>(), asks: new Map<string, Tracked>() };
  const recent = { bids: [] as VanishedLevel[], asks: [] as VanishedLevel[] };
  const lastRaised = { bids: Number.NEGATIVE_INFINITY, asks: Number.NEGATIVE_INFINITY };

  const isLarge = (book: OrderBook, side: Side, quantity: number): boolean => {
    const ref = book[side].top(p.referenceLevels).map(([, q]) => Number(q));
    return ref.length >= 3 && quantity >= p.sizeMultiple * median(ref);
  };
  const isNear = (book: OrderBook, side: Side, price: number): boolean => {
    const best = book[side].best();
    return best !== undefined && (Math.abs(Number(best.price) - price) / Number(best.price)) * 10_000 <= p.nearTouchBps;
  };
  /** Whether `price` was the side's best before its removal: nothing left is better. */
  const wasAtTouch = (book: OrderBook, side: Side, price: number): boolean => {
    const best = book[side].best();
    return best === undefined || (side === 'bids' ? price > Number(best.price) : price < Number(best.price));
  };

  return {
    onRow(row, book) {
      const t = row.data.eventTime;
      // The archive's own snapshots restate the book; only the exchange's replace it.
      if (row.origin === 'archive') return [];
      if (row.kind === 'bookSnapshot') {
        tracked.bids.clear();
        tracked.asks.clear();
        return [];
      }
      const out: SpoofingEpisode[] = [];
      for (const side of SIDES) {
        for (const [price, qty] of row.data[side]) {
          const q = Number(qty);
          const known = tracked[side].get(price);
          if (q > 0) {
            if (known !== undefined) {
              if (q > Number(known.size)) known.size = qty;
            } else if (isLarge(book, side, q) && isNear(book, side, Number(price))) {
              tracked[side].set(price, { appearedAt: t, size: qty });
            }
            continue;
          }
          if (known === undefined) continue;
          tracked[side].delete(price);
          if (t - known.appearedAt > p.maxLifetimeMs || wasAtTouch(book, side, Number(price))) continue;
          const list = recent[side];
          list.push({ side, price, size: known.size, appearedAt: known.appearedAt, vanishedAt: t });
          while (list.length > 0 && list[0]!.vanishedAt < t - p.windowMs) list.shift();
          if (list.length >= p.minRepeats && list[0]!.vanishedAt > lastRaised[side] + p.windowMs) {
            out.push({ exchange: row.data.exchange, symbol: row.data.symbol, side, start: list[0]!.vanishedAt, raisedAt: t, vanished: list.slice() });
            lastRaised[side] = t;
          }
        }
        // Levels that rested past the lifetime are genuine: stop watching them.
        for (const [price, tr] of tracked[side]) if (t - tr.appearedAt > p.maxLifetimeMs) tracked[side].delete(price);
      }
      return out;
    },

    save: () =>
      Object.fromEntries(
        SIDES.map((side) => [side, { tracked: saveMap(tracked[side], (tr) => ({ appearedAt: tr.appearedAt, size: tr.size })), recent: recent[side], lastRaised: lastRaised[side] }]),
      ),

    load(state, path) {
      const o = readObject(state, path);
      for (const side of SIDES) {
        const at = `${path}.${side}`;
        const saved = readObject(o[side], at);
        const t = readMap(saved['tracked'], `${at}.tracked`, (u, p) => {
          const tr = readObject(u, p);
          return { appearedAt: readFinite(tr['appearedAt'], `${p}.appearedAt`), size: readString(tr['size'], `${p}.size`) };
        });
        tracked[side].clear();
        for (const [price, tr] of t) tracked[side].set(price, tr);
        recent[side] = readArray(saved['recent'], `${at}.recent`).map((u, i) => readVanished(u, `${at}.recent[${i}]`));
        lastRaised[side] = readNumber(saved['lastRaised'], `${at}.lastRaised`);
      }
    },
  };
};
