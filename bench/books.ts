/**
 * books: order-book updates/s applied AND validated by the book keeper (each exchange's sequence
 * rule, its checksum where it sends one, its depth cut), against applying the same level changes
 * to a plain sorted map with no checks (a sorted array of numeric prices, binary search, splice)
 * in the same run, the two taking turns by chunks and timed in CPU time (the machine may be
 * shared). Streams are generated per exchange in its documented shape: Binance (U/u chained), OKX
 * (prevSeqId/seqId, CRC32 of the top 25 on every message), Bybit (u + 1), Kraken (depth 10, CRC32
 * of the top 10 on every message), Bitfinex (len 25, CRC32 of the top 25 on every message); 1-3
 * level changes a message, mostly near the touch, about a fifth of them removals, on a book of
 * ~400 levels a side (Kraken: 10, Bitfinex: 25).
 * `value`/`baseline`/`ratio` are the worst exchange. Goal: ≥ 0.5.
 */
import type { BookLevel, BookSnapshotData, BookUpdateData } from '../src/domain/orderbook/bookEvents.js';
import { bitfinexChecksum, krakenChecksum, okxChecksum } from '../src/domain/orderbook/bookChecksums.js';
import { BookKeeper, type BookEvent } from '../src/domain/orderbook/bookKeeper.js';
import { BOOK_RULES, type BookRules } from '../src/domain/orderbook/bookRules.js';
import { OrderBook } from '../src/domain/orderbook/orderBook.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);
const N = Number(process.env['BENCH_MESSAGES'] ?? 100_000);
const T0 = Date.UTC(2024, 7, 8);
const CHUNK = 2_000;

/** A small deterministic PRNG (mulberry32), so every run measures the same stream. */
const prng = (seed: number): (() => number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const MID_TICK = 6_000_000; // 60000.00 in cents
const price = (tick: number): string => `${Math.floor(tick / 100)}.${String(tick % 100).padStart(2, '0')}`;
const qty = (r: () => number): string => (r() * 3).toFixed(8);

interface Stream { readonly events: BookEvent[]; readonly changes: number }

const generate = (exchange: string, rules: BookRules, levels: number, checksum: ((b: OrderBook) => number) | undefined): Stream => {
  const r = prng(7);
  const shadow = new OrderBook(exchange, 'BTC-USDT', rules.depth);
  const bids: BookLevel[] = [];
  const asks: BookLevel[] = [];
  for (let i = 1; i <= levels; i++) {
    bids.push([price(MID_TICK - i), qty(r)]);
    asks.push([price(MID_TICK + i), qty(r)]);
  }
  shadow.replace(bids, asks);
  let seq = 1_000;
  const snapshot: BookSnapshotData = { exchange, symbol: 'BTC-USDT', bids, asks, eventTime: T0, sequence: seq, ...(checksum === undefined ? {} : { checksum: checksum(shadow) }) };
  const events: BookEvent[] = [{ kind: 'bookSnapshot', data: snapshot }];
  let changes = 0;
  for (let i = 0; i < N; i++) {
    const b: BookLevel[] = [];
    const a: BookLevel[] = [];
    const n = 1 + Math.floor(r() * 3);
    for (let k = 0; k < n; k++) {
      // Distance from the mid: mostly within the first levels.
      const d = 1 + Math.floor(-Math.log(1 - r()) * (levels / 8)) % levels;
      const q = r() < 0.2 ? '0' : qty(r);
      if (r() < 0.5) b.push([price(MID_TICK - d), q]);
      else a.push([price(MID_TICK + d), q]);
    }
    changes += n;
    shadow.change(b, a);
    const prev = seq;
    seq += exchange === 'binance' ? n : 1;
    const u: BookUpdateData = {
      exchange, symbol: 'BTC-USDT', bids: b, asks: a, eventTime: T0 + i,
      sequence: seq,
      ...(exchange === 'binance' ? { firstSequence: prev + 1 } : {}),
      ...(exchange === 'okx' ? { prevSequence: prev } : {}),
      ...(checksum === undefined ? {} : { checksum: checksum(shadow) }),
    };
    events.push({ kind: 'bookUpdate', data: u });
  }
  return { events, changes };
};

/** The baseline: a plain sorted map from numeric price to quantity, no checks of any kind. */
class PlainSortedMap {
  private readonly keys: number[] = [];
  private readonly values: string[] = [];
  set(p: string, q: string): void {
    const k = Number(p);
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < k) lo = mid + 1;
      else hi = mid;
    }
    const found = lo < this.keys.length && this.keys[lo] === k;
    if (q === '0') {
      if (found) {
        this.keys.splice(lo, 1);
        this.values.splice(lo, 1);
      }
    } else if (found) this.values[lo] = q;
    else {
      this.keys.splice(lo, 0, k);
      this.values.splice(lo, 0, q);
    }
  }
}

/** CPU time this process has used, in ms (µs resolution). */
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

const measure = (name: string, rules: () => BookRules, levels: number, checksum: ((b: OrderBook) => number) | undefined) => {
  const { events, changes } = generate(name, rules(), levels, checksum);
  const kept: number[] = [];
  const plain: number[] = [];
  const ratios: number[] = [];
  let resyncs = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const keeper = new BookKeeper(rules(), 'BTC-USDT');
    const bids = new PlainSortedMap();
    const asks = new PlainSortedMap();
    let tk = 0;
    let tp = 0;
    // The two take turns by chunks, so a busy machine slows both alike instead of one round of one;
    // timed in this process's CPU time, not the wall clock's, which counts the time other processes ran.
    for (let from = 0; from < events.length; from += CHUNK) {
      const to = Math.min(events.length, from + CHUNK);
      const t0 = cpuMs();
      for (let i = from; i < to; i++) if (keeper.apply(events[i]!).kind === 'resync') resyncs++;
      const t1 = cpuMs();
      for (let i = from; i < to; i++) {
        const e = events[i]!;
        for (const [p, q] of e.data.bids) bids.set(p, q);
        for (const [p, q] of e.data.asks) asks.set(p, q);
      }
      tk += t1 - t0;
      tp += cpuMs() - t1;
    }
    kept.push((events.length / tk) * 1000);
    plain.push((events.length / tp) * 1000);
    ratios.push(tp / tk);
  }
  if (resyncs > 0) throw new Error(`${name}: ${resyncs} resyncs on a valid stream: the bench's stream or the keeper is wrong`);
  const result = { messages: events.length, levelChanges: changes, value: Math.round(median(kept)), baseline: Math.round(median(plain)), ratio: Number(median(ratios).toFixed(3)) };
  console.log(`${name.padEnd(9)} ${result.value.toLocaleString('en')} updates/s applied and checked vs ${result.baseline.toLocaleString('en')} updates/s into a plain sorted map (${(result.ratio * 100).toFixed(0)}%), ${changes} level changes in ${events.length} messages`);
  return result;
};

console.log(`book updates: generated documented-shape streams of ${N} messages; medians of ${ROUNDS} rounds`);
const results = {
  binance: measure('binance', BOOK_RULES.binance, 400, undefined),
  okx: measure('okx', BOOK_RULES.okx, 400, okxChecksum),
  bybit: measure('bybit', BOOK_RULES.bybit, 400, undefined),
  kraken: measure('kraken', () => BOOK_RULES.kraken(10), 10, krakenChecksum),
  bitfinex: measure('bitfinex', () => BOOK_RULES.bitfinex(25), 25, bitfinexChecksum),
};
const worst = Object.values(results).reduce((a, b) => (a.ratio <= b.ratio ? a : b));
console.log(JSON.stringify({ bench: 'books', value: worst.value, unit: 'updates/s', baseline: worst.baseline, ratio: worst.ratio, goalRatio: 0.5, ...results }));
