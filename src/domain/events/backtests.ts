/**
 * Backtests as facts: a request (who asked for what) and its result, with what it ran on (the
 * ledger's signed checkpoint, the OHLCV batch view version, the engine's code version), so that
 * anyone can run it again on the same inputs and get the same numbers.
 */
import * as t from 'io-ts';
import { IntervalCodec, MarketSymbolCodec, NonEmptyString, NonNegativeInt } from '../validation.js';

const Figure = t.union([t.number, t.null]);
const Params = t.record(t.string, t.union([t.string, t.number]));

export const BacktestRequestedData = t.type({
  backtestId: NonEmptyString,
  /** The request as given (validated): symbol, interval, range, strategy grid, mode, costs, walk-forward, predictions. */
  request: t.UnknownRecord,
});
export type BacktestRequestedData = t.TypeOf<typeof BacktestRequestedData>;

const TradeData = t.type({
  side: t.keyof({ long: null, short: null }),
  entryTime: t.number,
  entryPrice: t.number,
  units: t.number,
  exitTime: t.number,
  exitPrice: t.number,
  open: t.boolean,
  fees: t.number,
  pnl: t.number,
  return: t.number,
});

export const BacktestCompletedData = t.type({
  backtestId: NonEmptyString,
  symbol: MarketSymbolCodec,
  interval: IntervalCodec,
  bars: t.type({ count: NonNegativeInt, from: t.number, to: t.number }),
  mode: t.keyof({ 'long-only': null, 'long-short': null }),
  costs: t.type({ fee: t.number, slippage: t.number }),
  /** The strategy traded (null with walk-forward: each segment names its own). */
  chosen: t.union([Params, t.null]),
  gridSize: NonNegativeInt,
  grid: t.array(t.type({ strategy: Params, finalEquity: t.number, trades: NonNegativeInt })),
  walkForward: t.union([
    t.array(t.type({ trainFrom: t.number, trainTo: t.number, testFrom: t.number, testTo: t.number, chosen: Params, trainEquity: t.number, testEquity: t.number })),
    t.null,
  ]),
  metrics: t.record(t.string, Figure),
  trades: t.array(TradeData),
  equity: t.array(t.type({ time: t.number, value: t.number })),
  shortfall: t.boolean,
  /** What it ran on: the newest signed ledger checkpoint when it read the bars (null on an empty ledger). */
  ledgerCheckpoint: t.union([t.type({ size: NonNegativeInt, root: t.string }), t.null]),
  /** The OHLCV batch view the bars came from (null when only the speed layer held them). */
  batch: t.union([t.type({ view: NonEmptyString, version: NonNegativeInt, computedThrough: t.number }), t.null]),
  /** The package version and a hash of the engine's code (docs/backtests.md). */
  codeVersion: NonEmptyString,
});
export type BacktestCompletedData = t.TypeOf<typeof BacktestCompletedData>;
