/**
 * The summary of a backtest, after freqtrade's backtesting report, each figure defined here (and
 * in docs/backtests.md) so that anyone can recompute it from the equity curve and the trades.
 * Returns are the equity curve's bar-to-bar simple returns, annualised by the bars in a
 * 365-day year (525,600 for 1m bars, 365 for 1d), the same definitions as docs/risk.md's.
 * A figure the run cannot define (no trades for the win rate, no losing trade for the profit
 * factor, no spread for Sharpe) is null, never NaN or Infinity.
 */
import { downsideDeviation, mean, sampleStd } from '../risk/moments.js';
import type { Trade } from './simulate.js';

const YEAR_MS = 365 * 86_400_000;

export interface BacktestMetrics {
  readonly initialCash: number;
  readonly finalEquity: number;
  /** finalEquity / initialCash − 1. */
  readonly totalReturn: number;
  /** (finalEquity / initialCash)^(1 / years) − 1, years = the bars' span (last open − first open + one bar) / 365 days. */
  readonly cagr: number | null;
  /** mean(r) / std(r, ddof 1) · √A over the equity curve's bar returns. */
  readonly sharpe: number | null;
  /** mean(r) / √mean(min(r, 0)²) · √A. */
  readonly sortino: number | null;
  /** cagr / |maxDrawdown|. */
  readonly calmar: number | null;
  /** min_t E_t / max_{s≤t} E_s − 1 over the equity curve, starting from the initial cash: in [−1, 0] (below −1 only after a short's shortfall). */
  readonly maxDrawdown: number;
  /** From the peak before the deepest drawdown to its trough: milliseconds and bars. */
  readonly maxDrawdownDurationMs: number;
  readonly maxDrawdownDurationBars: number;
  readonly trades: number;
  /** Trades with pnl > 0 over all trades. */
  readonly winRate: number | null;
  /** Sum of winning pnl over the absolute sum of losing pnl. */
  readonly profitFactor: number | null;
  /** Mean pnl per trade, in cash. */
  readonly expectancy: number | null;
  /** Bars that ended with a position held over all bars. */
  readonly exposure: number;
  /** Last close / first close − 1: what holding the asset did over the same bars. */
  readonly marketChange: number;
  /** Bars per 365-day year used for annualising (from the median bar spacing). */
  readonly annualisation: number;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The median spacing of bar open times: a gap (a missing hour) does not change what a bar is. */
export const barSpacing = (time: Float64Array): number => {
  if (time.length < 2) return 0;
  const diffs = new Float64Array(time.length - 1);
  for (let i = 1; i < time.length; i++) diffs[i - 1] = time[i]! - time[i - 1]!;
  diffs.sort();
  return diffs[diffs.length >> 1]!;
};

export const backtestMetrics = (
  run: { readonly time: Float64Array; readonly close: Float64Array; readonly equity: Float64Array; readonly trades: readonly Trade[]; readonly barsInMarket: number },
  initialCash: number,
): BacktestMetrics => {
  const { time, close, equity, trades } = run;
  const n = equity.length;
  const finalEquity = n === 0 ? initialCash : equity[n - 1]!;
  const spacing = barSpacing(time);
  const annualisation = spacing > 0 ? YEAR_MS / spacing : 0;
  const years = n === 0 ? 0 : (time[n - 1]! - time[0]! + spacing) / YEAR_MS;

  const returns: number[] = [];
  let previous = initialCash;
  let peak = initialCash;
  let peakAt = 0;
  let maxDrawdown = 0;
  let ddFrom = 0;
  let ddTo = 0;
  for (let i = 0; i < n; i++) {
    const e = equity[i]!;
    returns.push(e / previous - 1);
    previous = e;
    if (e > peak) {
      peak = e;
      peakAt = i;
    }
    const dd = e / peak - 1;
    if (dd < maxDrawdown) {
      maxDrawdown = dd;
      ddFrom = peakAt;
      ddTo = i;
    }
  }

  const sd = sampleStd(returns);
  const down = returns.length === 0 ? NaN : downsideDeviation(returns);
  const m = returns.length === 0 ? NaN : mean(returns);
  const cagr = years > 0 && finalEquity > 0 ? finite((finalEquity / initialCash) ** (1 / years) - 1) : null;
  const wins = trades.filter((t) => t.pnl > 0);
  const grossProfit = wins.reduce((s, t) => s + t.pnl, 0);
  const grossLoss = trades.reduce((s, t) => (t.pnl < 0 ? s - t.pnl : s), 0);

  return {
    initialCash,
    finalEquity,
    totalReturn: finalEquity / initialCash - 1,
    cagr,
    sharpe: sd > 0 ? finite((m / sd) * Math.sqrt(annualisation)) : null,
    sortino: down > 0 ? finite((m / down) * Math.sqrt(annualisation)) : null,
    calmar: cagr !== null && maxDrawdown < 0 ? cagr / -maxDrawdown : null,
    maxDrawdown,
    maxDrawdownDurationMs: n === 0 ? 0 : time[ddTo]! - time[ddFrom]!,
    maxDrawdownDurationBars: ddTo - ddFrom,
    trades: trades.length,
    winRate: trades.length === 0 ? null : wins.length / trades.length,
    profitFactor: grossLoss > 0 ? grossProfit / grossLoss : null,
    expectancy: trades.length === 0 ? null : trades.reduce((s, t) => s + t.pnl, 0) / trades.length,
    exposure: n === 0 ? 0 : run.barsInMarket / n,
    marketChange: n === 0 ? 0 : close[n - 1]! / close[0]! - 1,
    annualisation,
  };
};
