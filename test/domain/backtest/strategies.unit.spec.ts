/** Strategy grids: what a grid expands to, what it prunes, and how a bad one is refused. */
import { describe, expect, it } from 'vitest';
import { expandGrid, warmupBars } from '../../../src/domain/backtest/strategies.js';
import { readBacktestRequest } from '../../../src/domain/backtest/request.js';

describe('strategy grids', () => {
  it('expand every combination in order, the last parameter fastest, leaving out pairs out of order', () => {
    expect(expandGrid({ kind: 'sma-crossover', fast: [5, 20], slow: [10, 30] })).toEqual([
      { kind: 'sma-crossover', fast: 5, slow: 10 },
      { kind: 'sma-crossover', fast: 5, slow: 30 },
      { kind: 'sma-crossover', fast: 20, slow: 30 },
    ]);
    expect(expandGrid({ kind: 'rsi-thresholds', window: 14, lower: [30, 60], upper: [50, 70] })).toHaveLength(3);
    expect(expandGrid({ kind: 'follow-predictions', threshold: 0 })).toEqual([{ kind: 'follow-predictions', threshold: 0 }]);
  });

  it('refuse, naming the value, what no combination can use', () => {
    expect(() => expandGrid({ kind: 'sma-crossover', fast: 0, slow: 10 })).toThrow(/windows must be integers/);
    expect(() => expandGrid({ kind: 'sma-crossover', fast: 30, slow: 10 })).toThrow(/no combination of the grid is in order/);
    expect(() => expandGrid({ kind: 'bollinger-breakout', window: 20, k: [2, -1] })).toThrow(/k must be a positive number, got -1/);
    expect(() => expandGrid({ kind: 'momentum', window: 3 })).toThrow(/strategy/);
    expect(() => expandGrid({ kind: 'sma-crossover', fast: [], slow: 3 })).toThrow(/non-empty list/);
    expect(() => expandGrid({ kind: 'sma-crossover', fast: Array.from({ length: 200 }, (_, i) => i + 1), slow: Array.from({ length: 200 }, (_, i) => i + 300) })).toThrow(/more than 10000/);
  });

  it('name the bars before the first signal', () => {
    expect(warmupBars({ kind: 'sma-crossover', fast: 5, slow: 20 })).toBe(20);
    expect(warmupBars({ kind: 'rsi-thresholds', window: 14, lower: 30, upper: 70 })).toBe(15);
  });
});

describe('backtest requests', () => {
  const base = { symbol: 'BTC-USDT', interval: '1h', from: '2024-01-01', to: '2024-02-01', strategy: { kind: 'sma-crossover', fast: 5, slow: 20 } };

  it('default to long-only, 0.1% fees, 0.05% slippage and 10,000 of cash', () => {
    const r = readBacktestRequest(base);
    expect(r.spec).toMatchObject({ mode: 'long-only', costs: { fee: 0.001, slippage: 0.0005 }, initialCash: 10_000 });
    expect(r.from).toBe(Date.UTC(2024, 0, 1));
  });

  it('refuse a bad range, rate, walk-forward or a model strategy without predictions, saying what to give', () => {
    expect(() => readBacktestRequest({ ...base, to: '2023-12-01' })).toThrow(/must be after from/);
    expect(() => readBacktestRequest({ ...base, interval: '1m', to: '2026-01-01' })).toThrow(/at most 600000/);
    expect(() => readBacktestRequest({ ...base, fee: 1 })).toThrow(/fee: expected a proportion/);
    expect(() => readBacktestRequest({ ...base, walkForward: { trainBars: 1, testBars: 5 } })).toThrow(/walkForward/);
    expect(() => readBacktestRequest({ ...base, strategy: { kind: 'follow-predictions', threshold: 0 } })).toThrow(/give predictions/);
    expect(() => readBacktestRequest({ ...base, symbol: 'btc' })).toThrow(/symbol/);
  });
});
