/**
 * The execution: a signal at bar t's close fills at bar t+1's open, all in, with proportional
 * fees and slippage. One pass over the bars with a handful of numbers as state, so that a grid
 * of parameter pairs costs one such pass per pair; the equity curve and the trade list are kept
 * only when asked for.
 *
 *   buy:   price = open·(1 + slippage); units = cash / (price·(1 + fee)); cash = 0
 *   sell:  price = open·(1 − slippage); cash += units·price·(1 − fee)
 *   short: price = open·(1 − slippage); units = cash / (price·(1 + fee)) sold, cash += units·price·(1 − fee)
 *   cover: price = open·(1 + slippage); cash −= units·price·(1 + fee)
 *
 * A reversal (a long entry while short, or the mirror) covers or sells, then enters the other way
 * with all the cash. Signals are resolved as vectorbt's from_signals resolves them: an entry and
 * an exit of the same side on one bar cancel, as do a long and a short entry; an entry while
 * already in that position and an exit while not in it do nothing. A position still open after
 * the last bar is marked at the last close (no fee, no slippage) and counted as a trade.
 */
import { LONG_ENTRY, LONG_EXIT, SHORT_ENTRY, SHORT_EXIT, type Bars } from './signals.js';
import type { PositionMode } from './strategies.js';

export interface Costs {
  /** Proportional fee per fill (0.001 = 0.1%). */
  readonly fee: number;
  /** Proportional slippage against the order (0.0005 = 0.05%). */
  readonly slippage: number;
}

export const DEFAULT_COSTS: Costs = { fee: 0.001, slippage: 0.0005 };
export const DEFAULT_INITIAL_CASH = 10_000;

export interface Trade {
  readonly side: 'long' | 'short';
  /** Bar index (in the range) and open time of the entry fill. */
  readonly entryBar: number;
  readonly entryTime: number;
  /** Fill price, slippage included. */
  readonly entryPrice: number;
  readonly units: number;
  /** Bar index and time of the exit fill, or of the last bar when it was still open. */
  readonly exitBar: number;
  readonly exitTime: number;
  /** Fill price, slippage included; the last close for a position still open. */
  readonly exitPrice: number;
  readonly open: boolean;
  /** Fees of both fills. */
  readonly fees: number;
  /** What the round trip added to the cash, fees included. */
  readonly pnl: number;
  /** pnl over the entry's value (units · entryPrice), as vectorbt and freqtrade report it. */
  readonly return: number;
}

export interface Simulation {
  readonly finalEquity: number;
  readonly trades: number;
  /** Bars that ended with a position held (the exposure's numerator). */
  readonly barsInMarket: number;
  /** True when a short was covered for more cash than the account held: equity went negative. */
  readonly shortfall: boolean;
  /** Equity at each bar's close, when asked for. */
  readonly equity: Float64Array | undefined;
  /** Every round trip, when asked for. */
  readonly tradeList: Trade[] | undefined;
}

export interface SimulationOptions {
  readonly mode: PositionMode;
  readonly costs?: Costs;
  readonly initialCash?: number;
  /** Keep the equity curve and the trade list (single runs); a grid leaves them off. */
  readonly record?: boolean;
}

export const simulate = (bars: Bars, signals: Uint8Array, options: SimulationOptions): Simulation => {
  const { open, close, time } = bars;
  const n = close.length;
  const { fee, slippage } = options.costs ?? DEFAULT_COSTS;
  const shorts = options.mode === 'long-short';
  const equity = options.record === true ? new Float64Array(n) : undefined;
  const tradeList: Trade[] | undefined = options.record === true ? [] : undefined;

  let cash = options.initialCash ?? DEFAULT_INITIAL_CASH;
  /** Signed: negative while short. */
  let units = 0;
  let trades = 0;
  let barsInMarket = 0;
  let shortfall = false;
  // The open position's entry, for the trade list.
  let entryBar = 0;
  let entryPrice = 0;
  let entryFee = 0;
  let entryCash = 0;

  const recordTrade = (bar: number, price: number, exitFee: number, proceeds: number, stillOpen: boolean): void => {
    trades++;
    if (tradeList === undefined) return;
    const size = Math.abs(units);
    const pnl = units > 0 ? proceeds - entryCash : entryCash - proceeds;
    tradeList.push({
      side: units > 0 ? 'long' : 'short',
      entryBar,
      entryTime: time[entryBar]!,
      entryPrice,
      units: size,
      exitBar: bar,
      exitTime: time[bar]!,
      exitPrice: price,
      open: stillOpen,
      fees: entryFee + exitFee,
      pnl,
      return: pnl / (size * entryPrice),
    });
  };

  const enter = (bar: number, long: boolean): void => {
    if (!(cash > 0)) return;
    const price = long ? open[bar]! * (1 + slippage) : open[bar]! * (1 - slippage);
    const size = cash / (price * (1 + fee));
    entryBar = bar;
    entryPrice = price;
    entryFee = size * price * fee;
    if (long) {
      units = size;
      entryCash = cash;
      cash = 0;
    } else {
      units = -size;
      // What the short sale brought in, net of its fee: the cover's cost is set against it.
      entryCash = size * price * (1 - fee);
      cash += entryCash;
    }
  };

  const leave = (bar: number): void => {
    if (units > 0) {
      const price = open[bar]! * (1 - slippage);
      const gross = units * price;
      const proceeds = gross * (1 - fee);
      recordTrade(bar, price, gross * fee, proceeds, false);
      cash += proceeds;
    } else {
      const price = open[bar]! * (1 + slippage);
      const gross = -units * price;
      const cost = gross * (1 + fee);
      recordTrade(bar, price, gross * fee, cost, false);
      cash -= cost;
      if (cash < 0) shortfall = true;
    }
    units = 0;
  };

  for (let t = 0; t < n; t++) {
    if (t > 0) {
      let s = signals[t - 1]!;
      if (!shorts) s &= LONG_ENTRY | LONG_EXIT;
      if ((s & (LONG_ENTRY | LONG_EXIT)) === (LONG_ENTRY | LONG_EXIT)) s &= ~(LONG_ENTRY | LONG_EXIT);
      if ((s & (SHORT_ENTRY | SHORT_EXIT)) === (SHORT_ENTRY | SHORT_EXIT)) s &= ~(SHORT_ENTRY | SHORT_EXIT);
      if ((s & (LONG_ENTRY | SHORT_ENTRY)) === (LONG_ENTRY | SHORT_ENTRY)) s &= ~(LONG_ENTRY | SHORT_ENTRY);
      if (s !== 0) {
        if (units > 0) {
          if (s & (SHORT_ENTRY | LONG_EXIT)) leave(t);
          if (s & SHORT_ENTRY) enter(t, false);
        } else if (units < 0) {
          if (s & (LONG_ENTRY | SHORT_EXIT)) leave(t);
          if (s & LONG_ENTRY) enter(t, true);
        } else if (s & LONG_ENTRY) enter(t, true);
        else if (s & SHORT_ENTRY) enter(t, false);
      }
    }
    if (units !== 0) barsInMarket++;
    if (equity !== undefined) equity[t] = cash + units * close[t]!;
  }

  const last = n - 1;
  const finalEquity = n === 0 ? (options.initialCash ?? DEFAULT_INITIAL_CASH) : cash + units * close[last]!;
  if (units !== 0) {
    const mark = close[last]!;
    recordTrade(last, mark, 0, units > 0 ? units * mark : -units * mark, true);
  }
  return { finalEquity, trades, barsInMarket, shortfall, equity, tradeList };
};
