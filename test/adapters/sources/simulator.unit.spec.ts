/** The market simulator: deterministic, valid, ordered, correlated, with visible injected events, and abortable. */
import { describe, expect, it } from 'vitest';
import { createSimulatorSource, DEFAULT_SIMULATOR_START, type SimulatorOptions, type SimulatorSource } from '../../../src/adapters/sources/simulator/simulatorSource.js';
import type { FlashCrash, VolumeBurst } from '../../../src/adapters/sources/simulator/marketEvents.js';
import { validateEventData } from '../../../src/domain/events/catalogue.js';
import type { TradeData } from '../../../src/domain/events/market.js';
import type { SourceBatch } from '../../../src/domain/ports.js';

const T0 = DEFAULT_SIMULATOR_START;
const MINUTE = 60_000;

const collect = async (source: SimulatorSource): Promise<{ trades: TradeData[]; batches: SourceBatch[] }> => {
  const batches: SourceBatch[] = [];
  await source.run(async (b) => {
    batches.push(b);
  }, new AbortController().signal);
  const trades = batches.flatMap((b) => b.items.map((i) => {
    if (i.kind !== 'trade') throw new Error(`unexpected ${i.kind}`);
    return i.data as TradeData;
  }));
  return { trades, batches };
};

const run = async (options: SimulatorOptions): Promise<TradeData[]> => (await collect(createSimulatorSource(options))).trades;

const pearson = (xs: readonly number[], ys: readonly number[]): number => {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
};

/** Last price per minute of one exchange and symbol. */
const minuteCloses = (trades: readonly TradeData[], exchange: string, symbol: string): Map<number, number> => {
  const closes = new Map<number, number>();
  for (const t of trades) if (t.exchange === exchange && t.symbol === symbol) closes.set(Math.floor(t.eventTime / MINUTE), Number(t.price));
  return closes;
};

describe('simulator: determinism', () => {
  it('the same seed gives byte-identical trades, whatever the batch size; another seed gives others', async () => {
    const a = await run({ seed: 7, maxTrades: 5_000 });
    const b = await run({ seed: 7, maxTrades: 5_000, batchSize: 13 });
    const c = await run({ seed: 8, maxTrades: 5_000 });
    expect(a).toHaveLength(5_000);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
    // Different enough, not just one field: most prices differ.
    const samePrice = a.filter((t, i) => t.price === c[i]!.price && t.symbol === c[i]!.symbol).length;
    expect(samePrice).toBeLessThan(a.length / 2);
  });

  it('the first trade happens at startTime; the default start is fixed', async () => {
    const [first] = await run({ seed: 1, maxTrades: 1 });
    expect(first!.eventTime).toBe(Date.UTC(2024, 0, 1));
    const [later] = await run({ seed: 1, maxTrades: 1, startTime: Date.UTC(2025, 5, 1, 12) });
    expect(later!.eventTime).toBe(Date.UTC(2025, 5, 1, 12));
  });
});

describe('simulator: the tape', () => {
  it('every item is a trade the domain codec accepts, with canonical symbols and positive decimal strings', async () => {
    const { trades, batches } = await collect(createSimulatorSource({ seed: 3, maxTrades: 20_000, batchSize: 500 }));
    expect(batches.every((b) => b.source === 'simulator' && b.items.length <= 500)).toBe(true);
    for (const t of trades) {
      const v = validateEventData('TradeObserved', t);
      if (!v.ok) throw new Error(`${JSON.stringify(t)}: ${v.reason}`);
      expect(t.price).not.toMatch(/e/i);
      expect(t.quantity).not.toMatch(/e/i);
    }
    expect(new Set(trades.map((t) => t.symbol))).toContain('BTC-USDT');
  });

  it('trade ids increase per exchange and symbol; event times never go back', async () => {
    const trades = await run({ seed: 4, maxTrades: 30_000 });
    const last = new Map<string, bigint>();
    let previousTime = -Infinity;
    for (const t of trades) {
      const key = `${t.exchange}/${t.symbol}`;
      const id = BigInt(t.tradeId);
      const before = last.get(key);
      if (before !== undefined) expect(id > before).toBe(true);
      last.set(key, id);
      expect(t.eventTime).toBeGreaterThanOrEqual(previousTime);
      previousTime = t.eventTime;
    }
    expect(new Set(trades.map((t) => `${t.exchange}/${t.symbol}/${t.tradeId}`)).size).toBe(trades.length);
  });

  it('a later start never reuses the trade ids of an earlier run (a restarted simulator is not a duplicate)', async () => {
    const first = await run({ seed: 5, maxTrades: 5_000 });
    const end = first[first.length - 1]!.eventTime;
    const second = await run({ seed: 5, maxTrades: 5_000, startTime: end + 1 });
    const ids = new Set(first.map((t) => `${t.exchange}/${t.symbol}/${t.tradeId}`));
    expect(second.some((t) => ids.has(`${t.exchange}/${t.symbol}/${t.tradeId}`))).toBe(false);
  });

  it('event time runs at tradesPerSecond', async () => {
    const trades = await run({ seed: 6, maxTrades: 20_000, tradesPerSecond: 100, flashCrashesPerHour: 0, volumeBurstsPerHour: 0 });
    const seconds = (trades[trades.length - 1]!.eventTime - T0) / 1000;
    expect(trades.length / seconds).toBeGreaterThan(90);
    expect(trades.length / seconds).toBeLessThan(110);
  });

  it('quotes every exchange, each close to the others (divergence well under 1%)', async () => {
    const trades = await run({ seed: 9, maxTrades: 60_000, flashCrashesPerHour: 0 });
    expect(new Set(trades.map((t) => t.exchange))).toEqual(new Set(['binance', 'coinbase']));
    // Compare each coinbase trade with the last binance trade of the symbol less than a second before.
    const lastBinance = new Map<string, TradeData>();
    const gaps: number[] = [];
    for (const t of trades) {
      if (t.exchange === 'binance') lastBinance.set(t.symbol, t);
      else {
        const b = lastBinance.get(t.symbol);
        if (b !== undefined && t.eventTime - b.eventTime < 1_000) gaps.push(Math.abs(Number(t.price) / Number(b.price) - 1));
      }
    }
    expect(gaps.length).toBeGreaterThan(1_000);
    expect(Math.max(...gaps)).toBeLessThan(0.01);
    // They do differ: the exchanges are not copies of each other.
    expect(gaps.filter((g) => g > 0).length).toBeGreaterThan(gaps.length / 2);
  });

  it('BTC and ETH returns are positively correlated (common market factor)', async () => {
    // Two symbols, 4 hours of event time: 240 one-minute returns.
    const trades = await run({ seed: 11, symbols: 2, tradesPerSecond: 20, maxTrades: 20 * 4 * 3600, flashCrashesPerHour: 0, volumeBurstsPerHour: 0 });
    const btc = minuteCloses(trades, 'binance', 'BTC-USDT');
    const eth = minuteCloses(trades, 'binance', 'ETH-USDT');
    const minutes = [...btc.keys()].filter((m) => eth.has(m) && btc.has(m - 1) && eth.has(m - 1));
    expect(minutes.length).toBeGreaterThan(200);
    const r = (closes: Map<number, number>) => minutes.map((m) => Math.log(closes.get(m)! / closes.get(m - 1)!));
    const rho = pearson(r(btc), r(eth));
    expect(rho).toBeGreaterThan(0.5);
    expect(rho).toBeLessThan(0.99);
  });
});

describe('simulator: injected events and their ground truth', () => {
  it('a planned flash crash shows in the prices of every exchange: a sharp fall, then a partial recovery', async () => {
    const at = T0 + 10 * MINUTE;
    const source = createSimulatorSource({
      seed: 12,
      symbols: 4,
      tradesPerSecond: 50,
      maxTrades: 50 * 1800,
      flashCrashesPerHour: 0,
      volumeBurstsPerHour: 0,
      events: [{ kind: 'flash-crash', symbol: 'BTC-USDT', at, depth: 0.1, dropMs: 5_000, recovery: 0.5 }],
    });
    const { trades } = await collect(source);
    const crash = source.injectedEvents().find((e): e is FlashCrash => e.kind === 'flash-crash');
    expect(crash).toMatchObject({ symbol: 'BTC-USDT', depth: 0.1, recovery: 0.5 });
    for (const exchange of ['binance', 'coinbase']) {
      const prices = (from: number, to: number) => trades.filter((t) => t.exchange === exchange && t.symbol === 'BTC-USDT' && t.eventTime >= from && t.eventTime < to).map((t) => Number(t.price));
      const before = prices(crash!.startTime - 30_000, crash!.startTime);
      const bottom = prices(crash!.bottomTime - 1_000, crash!.bottomTime + 1_000);
      const after = prices(crash!.endTime - 30_000, crash!.endTime);
      const ref = before.reduce((a, b) => a + b, 0) / before.length;
      expect(Math.min(...bottom) / ref).toBeLessThan(0.92);
      expect(Math.min(...bottom) / ref).toBeGreaterThan(0.85);
      const recovered = after.reduce((a, b) => a + b, 0) / after.length / ref;
      expect(recovered).toBeGreaterThan(0.92);
      expect(recovered).toBeLessThan(0.98);
    }
  });

  it('random flash crashes and volume bursts are recorded, and each one is visible in the tape', async () => {
    const source = createSimulatorSource({ seed: 13, symbols: 6, tradesPerSecond: 100, maxTrades: 100 * 3 * 3600, flashCrashesPerHour: 6, volumeBurstsPerHour: 6 });
    const { trades } = await collect(source);
    const end = trades[trades.length - 1]!.eventTime;
    const events = source.injectedEvents();
    const crashes = events.filter((e): e is FlashCrash => e.kind === 'flash-crash' && e.endTime < end);
    const bursts = events.filter((e): e is VolumeBurst => e.kind === 'volume-burst' && e.endTime < end);
    expect(crashes.length).toBeGreaterThan(5);
    expect(bursts.length).toBeGreaterThan(5);
    const bySymbol = new Map<string, TradeData[]>();
    for (const t of trades) {
      const tape = bySymbol.get(t.symbol);
      if (tape === undefined) bySymbol.set(t.symbol, [t]);
      else tape.push(t);
    }
    for (const c of crashes) {
      const tape = bySymbol.get(c.symbol)!;
      const before = tape.filter((t) => t.eventTime >= c.startTime - 60_000 && t.eventTime < c.startTime).map((t) => Number(t.price));
      const bottom = tape.filter((t) => t.eventTime >= c.bottomTime - 2_000 && t.eventTime < c.bottomTime + 2_000).map((t) => Number(t.price));
      const ref = before.reduce((a, b) => a + b, 0) / before.length;
      // The fall is at least most of the injected depth (the mid's own noise is a few bp).
      expect(Math.min(...bottom) / ref).toBeLessThan(1 - 0.7 * c.depth);
    }
    for (const b of bursts) {
      const tape = bySymbol.get(b.symbol)!;
      const rate = (from: number, to: number) => tape.filter((t) => t.eventTime >= from && t.eventTime < to).length / ((to - from) / 1000);
      const during = rate(b.startTime, b.endTime);
      const normal = rate(b.startTime - 300_000, b.startTime);
      expect(during).toBeGreaterThan(2 * normal);
    }
  });
});

describe('simulator: scale, progress, pacing and abort', () => {
  it('runs 1000+ symbols: real names first, then SIM0001-USDT...', async () => {
    const source = createSimulatorSource({ seed: 14, symbols: 1_200, maxTrades: 100_000, tradesPerSecond: 2_000 });
    expect(source.symbols).toHaveLength(1_200);
    expect(new Set(source.symbols).size).toBe(1_200);
    expect(source.symbols.slice(0, 3)).toEqual(['BTC-USDT', 'ETH-USDT', 'BNB-USDT']);
    expect(source.symbols).toContain('SIM0001-USDT');
    const { trades } = await collect(source);
    expect(trades).toHaveLength(100_000);
    expect(new Set(trades.map((t) => t.symbol)).size).toBeGreaterThan(1_000);
    for (const t of trades) expect(validateEventData('TradeObserved', t).ok).toBe(true);
  });

  it('progress counts what was emitted against maxTrades (no total without it)', async () => {
    const source = createSimulatorSource({ seed: 15, maxTrades: 2_500, batchSize: 1_000 });
    expect(source.progress()).toEqual({ done: 0, total: 2_500 });
    const seen: number[] = [];
    await source.run(async () => {
      seen.push(source.progress().done);
    }, new AbortController().signal);
    expect(seen).toEqual([0, 1_000, 2_000]);
    expect(source.progress()).toEqual({ done: 2_500, total: 2_500 });
    expect(createSimulatorSource().progress().total).toBeUndefined();
  });

  it('stops promptly on abort, even when emit resolves at once (no timer starvation)', async () => {
    const source = createSimulatorSource({ seed: 17 });
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 50);
    const started = Date.now();
    await source.run(async () => undefined, stop.signal);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(source.progress().done).toBeGreaterThan(0);
  });

  it('in real time, hands out trades as the wall clock reaches them, and stops promptly while waiting', async () => {
    const startTime = Date.now();
    const source = createSimulatorSource({ seed: 18, realtime: true, tradesPerSecond: 200, startTime });
    const stop = new AbortController();
    const trades: TradeData[] = [];
    setTimeout(() => stop.abort(), 600);
    const started = Date.now();
    await source.run(async (b) => {
      for (const i of b.items) {
        if (i.kind !== 'trade') throw new Error(`unexpected ${i.kind}`);
        const t = i.data as TradeData;
        // Never ahead of the clock (the command would reject trades from the future).
        expect(t.eventTime).toBeLessThanOrEqual(Date.now() + 5);
        trades.push(t);
      }
    }, stop.signal);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(900);
    expect(trades.length).toBeGreaterThan(40);
    expect(trades.length).toBeLessThan(400);
  });

  it('refuses nonsense options with a reason', () => {
    expect(() => createSimulatorSource({ symbols: 0 })).toThrow(/symbols/);
    expect(() => createSimulatorSource({ exchanges: ['Binance'] })).toThrow(/exchange/);
    expect(() => createSimulatorSource({ tradesPerSecond: -1 })).toThrow(/tradesPerSecond/);
    expect(() => createSimulatorSource({ startTime: 5 })).toThrow(/startTime/);
  });
});
