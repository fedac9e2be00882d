/**
 * A backtest request as the API and the CLI take it, validated into what the engine runs: the
 * symbol and bars to read, the strategy grid, long-only or long-short, costs, optional
 * walk-forward windows, and (for follow-predictions) the model's predictions by bar time.
 */
import * as t from 'io-ts';
import { InvalidInputError } from '../errors.js';
import { requireInstant } from '../instant.js';
import { INTERVAL_MS, type Interval } from '../time.js';
import { IntervalCodec, MarketSymbolCodec, validate } from '../validation.js';
import type { BacktestSpec } from './backtest.js';
import { DEFAULT_COSTS, DEFAULT_INITIAL_CASH } from './simulate.js';
import { expandGrid, StrategyGridCodec, type PositionMode, type Strategy } from './strategies.js';

/** A year of 1m bars and a little more: a larger range is a batch job, not a request. */
export const MAX_BARS = 600_000;

const Instant = t.union([t.string, t.number]);

export const BacktestRequestCodec = t.intersection([
  t.type({ symbol: MarketSymbolCodec, interval: IntervalCodec, from: Instant, to: Instant, strategy: StrategyGridCodec }),
  t.partial({
    mode: t.keyof({ 'long-only': null, 'long-short': null }),
    fee: t.number,
    slippage: t.number,
    initialCash: t.number,
    walkForward: t.type({ trainBars: t.number, testBars: t.number }),
    /** The model's prediction for the bar opening at `time` (made at its close), given here... */
    predictions: t.array(t.type({ time: t.number, value: t.number })),
    /** ...or read from the ledger: the PredictionMade events of this model (`MODEL-ID` or `MODEL-ID@VERSION`). */
    model: t.string,
  }),
]);
export type BacktestRequestInput = t.TypeOf<typeof BacktestRequestCodec>;

export interface BacktestRequest {
  readonly symbol: string;
  readonly interval: Interval;
  /** Bars opening in [from, to). */
  readonly from: number;
  readonly to: number;
  readonly spec: BacktestSpec;
  readonly predictions: ReadonlyArray<{ readonly time: number; readonly value: number }> | undefined;
  /** Follow this model's recorded predictions (the app reads them from the ledger). */
  readonly model: string | undefined;
}


const rate = (v: number | undefined, fallback: number, name: string): number => {
  if (v === undefined) return fallback;
  if (!(v >= 0 && v < 0.5)) throw new InvalidInputError(`${name}: expected a proportion in [0, 0.5) (0.001 = 0.1%), got ${v}`);
  return v;
};

/** Validates a request; every refusal names the field and what it takes. */
export const readBacktestRequest = (input: unknown): BacktestRequest => {
  const v = validate(BacktestRequestCodec, input);
  if (!v.ok) throw new InvalidInputError(v.reason);
  const r = v.value;
  const from = requireInstant(r.from, 'from');
  const to = requireInstant(r.to, 'to');
  if (to <= from) throw new InvalidInputError(`to (${new Date(to).toISOString()}) must be after from (${new Date(from).toISOString()})`);
  const bars = Math.ceil((to - from) / INTERVAL_MS[r.interval]);
  if (bars > MAX_BARS) throw new InvalidInputError(`from..to holds ${bars} ${r.interval} bars; at most ${MAX_BARS} per backtest`);
  const strategies: Strategy[] = expandGrid(r.strategy);
  const predictions = r.predictions;
  const follows = strategies[0]!.kind === 'follow-predictions';
  if (follows && r.model !== undefined && predictions !== undefined) throw new InvalidInputError('follow-predictions: give either model or predictions, not both');
  if (follows && r.model === undefined && (predictions === undefined || predictions.length === 0)) {
    throw new InvalidInputError('follow-predictions: name a model whose predictions the ledger holds ("model": "BTC-USDT.return.1h"), or give predictions [{"time": <bar open, epoch ms>, "value": <predicted return or direction>}]');
  }
  if (!follows && r.model !== undefined) throw new InvalidInputError(`model: only follow-predictions reads a model's predictions, not ${strategies[0]!.kind}`);
  const initialCash = r.initialCash ?? DEFAULT_INITIAL_CASH;
  if (!(initialCash > 0 && Number.isFinite(initialCash))) throw new InvalidInputError(`initialCash: expected a positive amount, got ${initialCash}`);
  const wf = r.walkForward;
  if (wf !== undefined && !(Number.isInteger(wf.trainBars) && wf.trainBars >= 2 && Number.isInteger(wf.testBars) && wf.testBars >= 2)) {
    throw new InvalidInputError(`walkForward: trainBars and testBars must be integers of at least 2, got ${wf.trainBars} and ${wf.testBars}`);
  }
  const mode: PositionMode = r.mode ?? 'long-only';
  return {
    symbol: r.symbol,
    interval: r.interval,
    from,
    to,
    spec: {
      strategies,
      mode,
      costs: { fee: rate(r.fee, DEFAULT_COSTS.fee, 'fee'), slippage: rate(r.slippage, DEFAULT_COSTS.slippage, 'slippage') },
      initialCash,
      ...(wf === undefined ? {} : { walkForward: wf }),
    },
    predictions,
    model: r.model,
  };
};

/** The predictions aligned to the bars: NaN where the model said nothing about a bar. */
export const alignPredictions = (time: Float64Array, predictions: ReadonlyArray<{ time: number; value: number }>): Float64Array => {
  const byTime = new Map(predictions.map((p) => [p.time, p.value]));
  return Float64Array.from(time, (t) => byTime.get(t) ?? NaN);
};
