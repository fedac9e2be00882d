/**
 * Turns the price model into a tape of canonical trades, in event-time order.
 *
 * Trades arrive as a Poisson process whose rate is `tradesPerSecond` (more while an event
 * boosts a symbol). Each arrival picks a symbol by activity weight and an exchange, then
 * prices itself from the mid (interpolated within the step), the exchange's basis (a small
 * mean-reverting divergence of a few basis points per exchange and symbol) and half the
 * spread on the taker's side. Prices are rounded to the asset's tick, quantities to its lot.
 *
 * Trade ids are per exchange and symbol: eventTime·1000 + a sequence, never less than the
 * previous id + 1. So they increase, and a restarted simulator (a later start time) never
 * reuses an id of an earlier run — which the ledger would otherwise drop as duplicates.
 */
import type { SourceItem } from '../../../domain/ports.js';
import { formatId, formatPositive } from './decimalText.js';
import { createMarketEvents, type InjectedEvent, type PlannedEvent } from './marketEvents.js';
import { createPriceModel, STEP_MS } from './priceModel.js';
import { createRng } from '../../../domain/prng.js';
import { buildUniverse, SECTORS } from './universe.js';

export interface TradeGeneratorOptions {
  readonly seed: number;
  readonly symbols: number;
  readonly exchanges: readonly string[];
  readonly tradesPerSecond: number;
  readonly startTime: number;
  readonly flashCrashesPerHour: number;
  readonly volumeBurstsPerHour: number;
  readonly planned: readonly PlannedEvent[];
}

export interface TradeGenerator {
  readonly symbols: readonly string[];
  /** Appends up to `max` trades with eventTime < `until` to `out`; returns how many. */
  fill(out: SourceItem[], max: number, until: number): number;
  /** Event time of the next trade `fill` would produce. */
  nextEventTime(): number;
  injected(): readonly InjectedEvent[];
}

/** Exchange basis: AR(1) per trade, stationary sd about 3 bp, never beyond 50 bp. */
const BASIS_PHI = 0.95;
const BASIS_SIGMA = 0.0003 * Math.sqrt(1 - BASIS_PHI * BASIS_PHI);
const BASIS_LIMIT = 0.005;
/** Trade sizes are lognormal around the asset's median notional, cut at ±3σ. */
const NOTIONAL_SIGMA = 1.1;

export const createTradeGenerator = (options: TradeGeneratorOptions): TradeGenerator => {
  const rng = createRng(options.seed);
  const assets = buildUniverse(options.symbols, rng);
  const n = assets.length;
  const symbols = assets.map((a) => a.symbol);
  const exchanges = options.exchanges;
  const exchangeCount = exchanges.length;

  const baseWeight = Float64Array.from(assets, (a) => a.weight);
  let baseTotal = 0;
  for (let i = 0; i < n; i++) baseTotal += baseWeight[i]!;
  const halfSpread = Float64Array.from(assets, (a) => a.halfSpread);
  const medianNotional = Float64Array.from(assets, (a) => a.medianNotional);
  const priceDecimals = Int32Array.from(assets, (a) => a.priceDecimals);
  const quantityDecimals = Int32Array.from(assets, (a) => a.quantityDecimals);
  const priceScale = Float64Array.from(assets, (a) => 10 ** a.priceDecimals);
  const quantityScale = Float64Array.from(assets, (a) => 10 ** a.quantityDecimals);

  // The first exchange is the busiest (weights 1, 1/2, 1/3, ...), as venues are in practice.
  const exchangeCumulative = new Float64Array(exchangeCount);
  let exchangeTotal = 0;
  for (let e = 0; e < exchangeCount; e++) exchangeCumulative[e] = exchangeTotal += 1 / (e + 1);

  const basis = new Float64Array(exchangeCount * n);
  const lastId = new Float64Array(exchangeCount * n);

  const events = createMarketEvents({
    symbols,
    weights: baseWeight,
    flashCrashesPerHour: options.flashCrashesPerHour,
    volumeBurstsPerHour: options.volumeBurstsPerHour,
    planned: options.planned,
    rng,
  });
  const model = createPriceModel(assets, SECTORS.length, rng);
  const { logMidStart, logMidEnd, buyProbability } = model;

  const cumulative = new Float64Array(n);
  let ratePerMs = 0;
  const rebuildWeights = (): void => {
    let total = 0;
    for (let i = 0; i < n; i++) cumulative[i] = total += baseWeight[i]! * events.rateMultiplier[i]!;
    ratePerMs = (options.tradesPerSecond / 1000) * (total / baseTotal);
  };

  let stepStart = options.startTime;
  let stepEnd = stepStart + STEP_MS;
  const enterStep = (): void => {
    if (events.prepareStep(stepStart, stepEnd) || ratePerMs === 0) rebuildWeights();
    model.advance(events);
  };
  enterStep();

  /** The arrival after `t`. Memorylessness lets a draw that crosses a step restart at the boundary with the new rate. */
  const arrivalAfter = (t: number): number => {
    let next = t + rng.exponential() / ratePerMs;
    while (next >= stepEnd) {
      stepStart = stepEnd;
      stepEnd += STEP_MS;
      enterStep();
      next = stepStart + rng.exponential() / ratePerMs;
    }
    return next;
  };

  const pickSymbol = (): number => {
    const r = rng.next() * cumulative[n - 1]!;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };

  const pickExchange = (): number => {
    const r = rng.next() * exchangeTotal;
    for (let e = 0; e < exchangeCount - 1; e++) if (exchangeCumulative[e]! > r) return e;
    return exchangeCount - 1;
  };

  // The first trade happens at startTime exactly.
  let nextArrival = options.startTime;

  const makeTrade = (t: number): SourceItem => {
    const i = pickSymbol();
    const e = pickExchange();
    const frac = (t - stepStart) / STEP_MS;
    const logMid = logMidStart[i]! + (logMidEnd[i]! - logMidStart[i]!) * frac;

    const k = e * n + i;
    let b = basis[k]! * BASIS_PHI + BASIS_SIGMA * rng.normal();
    if (b > BASIS_LIMIT) b = BASIS_LIMIT;
    else if (b < -BASIS_LIMIT) b = -BASIS_LIMIT;
    basis[k] = b;

    const buy = rng.next() < buyProbability[i]!;
    const price = Math.exp(logMid + b) * (buy ? 1 + halfSpread[i]! : 1 - halfSpread[i]!);
    const priceText = formatPositive(price, priceDecimals[i]!, priceScale[i]!);

    let z = rng.normal();
    if (z > 3) z = 3;
    else if (z < -3) z = -3;
    const quantity = (medianNotional[i]! * Math.exp(NOTIONAL_SIGMA * z)) / price;
    const quantityText = formatPositive(quantity, quantityDecimals[i]!, quantityScale[i]!);

    const eventTime = Math.floor(t);
    let id = lastId[k]! + 1;
    const floor = eventTime * 1000;
    if (id < floor) id = floor;
    lastId[k] = id;

    return {
      kind: 'trade',
      data: {
        exchange: exchanges[e]!,
        symbol: symbols[i]!,
        tradeId: formatId(id),
        price: priceText,
        quantity: quantityText,
        side: buy ? 'buy' : 'sell',
        eventTime,
      },
    };
  };

  const fill = (out: SourceItem[], max: number, until: number): number => {
    let count = 0;
    while (count < max && nextArrival < until) {
      out.push(makeTrade(nextArrival));
      count++;
      nextArrival = arrivalAfter(nextArrival);
    }
    return count;
  };

  return { symbols, fill, nextEventTime: () => Math.floor(nextArrival), injected: events.injected };
};
