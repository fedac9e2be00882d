/** The backtest engine's folds: indicators, execution and walk-forward, by their defining properties. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestOf, runBacktest, scoreGrid, walkForwardWindows } from '../../../src/domain/backtest/backtest.js';
import { rollingStd, rsi, sma } from '../../../src/domain/backtest/indicators.js';
import { indicatorCache, LONG_ENTRY, LONG_EXIT, SHORT_ENTRY, SHORT_EXIT, writeSignals, type Bars } from '../../../src/domain/backtest/signals.js';
import { simulate } from '../../../src/domain/backtest/simulate.js';
import type { Strategy } from '../../../src/domain/backtest/strategies.js';

const close = (a: number, b: number, rel = 1e-9): boolean => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-300) || Math.abs(a - b) < 1e-9;

/** Bars from moves: each opens a small gap from the last close and closes a move from its open. */
const barsArb = (minLength = 2, maxLength = 200): fc.Arbitrary<Bars> =>
  fc.array(fc.tuple(fc.double({ min: -0.01, max: 0.01, noNaN: true }), fc.oneof(fc.double({ min: -0.1, max: 0.1, noNaN: true }), fc.constant(0))), { minLength, maxLength }).map((moves) => {
    let last = 100;
    const open = new Float64Array(moves.length);
    const closeArr = new Float64Array(moves.length);
    moves.forEach(([gap, move], i) => {
      open[i] = last * (1 + gap);
      closeArr[i] = last = open[i]! * (1 + move);
    });
    return { time: Float64Array.from(open, (_, i) => i * 60_000), open, close: closeArr };
  });

const signalsArb = (n: number) => fc.array(fc.constantFrom(0, LONG_ENTRY | SHORT_EXIT, LONG_EXIT | SHORT_ENTRY, LONG_ENTRY, LONG_EXIT, SHORT_ENTRY, SHORT_EXIT, LONG_ENTRY | LONG_EXIT), { minLength: n, maxLength: n }).map((a) => Uint8Array.from(a));
const barsAndSignals = barsArb().chain((bars) => signalsArb(bars.close.length).map((signals) => ({ bars, signals })));

const strategyArb: fc.Arbitrary<Strategy> = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 20 })).map(([fast, d]) => ({ kind: 'sma-crossover' as const, fast, slow: fast + d })),
  fc.record({ window: fc.integer({ min: 1, max: 20 }), lower: fc.integer({ min: 10, max: 45 }), upper: fc.integer({ min: 55, max: 90 }) }).map((p) => ({ kind: 'rsi-thresholds' as const, ...p })),
  fc.record({ window: fc.integer({ min: 2, max: 20 }), k: fc.double({ min: 0.5, max: 3, noNaN: true }) }).map((p) => ({ kind: 'bollinger-breakout' as const, ...p })),
);

const naiveMean = (x: Float64Array, i: number, w: number): number => {
  let s = 0;
  for (let j = i - w + 1; j <= i; j++) s += x[j]!;
  return s / w;
};

describe('indicators', () => {
  it('sma, rolling std and RSI equal their definitions window by window, NaN until the window is full', () => {
    fc.assert(
      fc.property(barsArb(1, 120), fc.integer({ min: 1, max: 30 }), ({ close: c }, w) => {
        const m = sma(c, w);
        const sd = rollingStd(c, Math.max(2, w), sma(c, Math.max(2, w)));
        const r = rsi(c, w);
        for (let i = 0; i < c.length; i++) {
          if (i < w - 1) expect(m[i]).toBeNaN();
          else expect(close(m[i]!, naiveMean(c, i, w))).toBe(true);
          const w2 = Math.max(2, w);
          if (i >= w2 - 1) {
            const mean = naiveMean(c, i, w2);
            let ss = 0;
            for (let j = i - w2 + 1; j <= i; j++) ss += (c[j]! - mean) ** 2;
            expect(Math.abs(sd[i]! - Math.sqrt(ss / w2))).toBeLessThan(1e-9 * mean);
          }
          if (i < w) expect(r[i]).toBeNaN();
          else {
            let gain = 0;
            let loss = 0;
            for (let j = i - w + 1; j <= i; j++) {
              const d = c[j]! - c[j - 1]!;
              if (d > 0) gain += d;
              else loss -= d;
            }
            const want = loss === 0 ? (gain === 0 ? NaN : 100) : 100 - 100 / (1 + gain / loss);
            if (Number.isNaN(want)) expect(r[i]).toBeNaN();
            else expect(Math.abs(r[i]! - want)).toBeLessThan(1e-7);
          }
        }
      }),
    );
  });

  it('a flat window averages to its value exactly', () => {
    const x = Float64Array.from([0.3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
    expect(sma(x, 3)[6]).toBe(0.1);
    expect(sma(x, 5)[6]).toBe(0.1);
  });
});

describe('execution', () => {
  it('without fees or slippage, equity is the cash times each trade\'s open-to-open price ratio (long-only)', () => {
    fc.assert(
      fc.property(barsAndSignals, ({ bars, signals }) => {
        const run = simulate(bars, signals, { mode: 'long-only', costs: { fee: 0, slippage: 0 }, record: true });
        let want = 10_000;
        for (const t of run.tradeList!) want *= (t.open ? bars.close[t.exitBar]! : bars.open[t.exitBar]!) / bars.open[t.entryBar]!;
        expect(close(run.finalEquity, want)).toBe(true);
        expect(run.trades).toBe(run.tradeList!.length);
      }),
    );
  });

  it('trades fill at the open after their signal, and their pnl adds up to the equity gained (both modes)', () => {
    fc.assert(
      fc.property(barsAndSignals, fc.constantFrom('long-only' as const, 'long-short' as const), ({ bars, signals }, mode) => {
        const run = simulate(bars, signals, { mode, record: true });
        const pnl = run.tradeList!.reduce((s, t) => s + t.pnl, 0);
        expect(Math.abs(run.finalEquity - 10_000 - pnl)).toBeLessThan(1e-6 * Math.max(1, Math.abs(pnl)));
        for (const t of run.tradeList!) {
          expect(t.entryBar).toBeGreaterThan(0);
          const entrySignal = signals[t.entryBar - 1]!;
          expect(entrySignal & (t.side === 'long' ? LONG_ENTRY : SHORT_ENTRY)).not.toBe(0);
          expect(t.entryPrice).toBe(bars.open[t.entryBar]! * (t.side === 'long' ? 1.0005 : 0.9995));
          if (!t.open) expect(signals[t.exitBar - 1]! & (t.side === 'long' ? LONG_EXIT | SHORT_ENTRY : SHORT_EXIT | LONG_ENTRY)).not.toBe(0);
          if (mode === 'long-only') expect(t.side).toBe('long');
        }
        // Only the last trade can still be open, and it ends on the last bar.
        run.tradeList!.slice(0, -1).forEach((t) => expect(t.open).toBe(false));
      }),
    );
  });

  it('costs only lower a long-only equity', () => {
    fc.assert(
      fc.property(barsAndSignals, ({ bars, signals }) => {
        const free = simulate(bars, signals, { mode: 'long-only', costs: { fee: 0, slippage: 0 } });
        const paid = simulate(bars, signals, { mode: 'long-only' });
        expect(paid.finalEquity).toBeLessThanOrEqual(free.finalEquity * (1 + 1e-12));
      }),
    );
  });

  it('sees no future: a run on the first m bars is the first m bars of the run on all of them, signals included', () => {
    fc.assert(
      fc.property(barsArb(3, 150), strategyArb, fc.constantFrom('long-only' as const, 'long-short' as const), fc.double({ min: 0.1, max: 0.9, noNaN: true }), (bars, strategy, mode, cut) => {
        const m = Math.max(2, Math.floor(bars.close.length * cut));
        const prefix = { time: bars.time.subarray(0, m), open: bars.open.subarray(0, m), close: bars.close.subarray(0, m) };
        const full = writeSignals(strategy, bars, indicatorCache(bars.close), new Uint8Array(bars.close.length));
        const part = writeSignals(strategy, prefix, indicatorCache(prefix.close), new Uint8Array(m));
        expect([...part]).toEqual([...full.subarray(0, m)]);
        const a = simulate(bars, full, { mode, record: true }).equity!;
        const b = simulate(prefix, part, { mode, record: true }).equity!;
        expect([...b]).toEqual([...a.subarray(0, m)]);
      }),
    );
  });
});

describe('grids and walk-forward', () => {
  it('a grid run trades its best strategy, and walk-forward segments carry equity and choose on their training bars only', () => {
    fc.assert(
      fc.property(barsArb(60, 200), fc.array(strategyArb, { minLength: 1, maxLength: 5 }), fc.constantFrom('long-only' as const, 'long-short' as const), (bars, strategies, mode) => {
        const result = runBacktest({ strategies, mode }, { bars });
        const options = { mode, costs: result.costs, initialCash: 10_000 };
        if (strategies.length > 1) expect(result.chosen).toEqual(bestOf(scoreGrid(strategies, { bars }, options)).strategy);
        expect(result.metrics.trades).toBe(result.trades.length);
        expect(result.metrics.exposure).toBeGreaterThanOrEqual(0);
        expect(result.metrics.exposure).toBeLessThanOrEqual(1);
        expect(result.equity[result.equity.length - 1]!.value).toBe(result.metrics.finalEquity);

        const wf = { trainBars: 30, testBars: 10 };
        const walk = runBacktest({ strategies, mode, walkForward: wf }, { bars });
        const windows = walkForwardWindows(bars.close.length, wf);
        expect(walk.walkForward!.length).toBe(windows.length);
        walk.walkForward!.forEach((segment, i) => {
          const w = windows[i]!;
          const train = { time: bars.time.subarray(w.trainFrom, w.trainTo), open: bars.open.subarray(w.trainFrom, w.trainTo), close: bars.close.subarray(w.trainFrom, w.trainTo) };
          expect(segment.chosen).toEqual(bestOf(scoreGrid(strategies, { bars: train }, options)).strategy);
          if (i > 0) expect(segment.testFrom).toBe(bars.time[windows[i - 1]!.testTo]);
        });
        expect(walk.metrics.finalEquity).toBe(walk.walkForward![walk.walkForward!.length - 1]!.testEquity);
      }),
      { numRuns: 60 },
    );
  });
});
