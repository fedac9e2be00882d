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
 *
 * With `books`, each exchange and symbol also has an order book quoted from the same mid, basis
 * and spread (simulatedBooks.ts): its changes come in the tape in event-time order, and every
 * trade is at its touch.
 */
import type { SourceItem } from '../../../domain/ports.js';
import { formatId, formatPositive } from './decimalText.js';
import { createMarketEvents, type InjectedEvent, type PlannedEvent } from './marketEvents.js';
import { createPriceModel, STEP_MS } from './priceModel.js';
import { createRng } from '../../../domain/prng.js';
import { createSimulatedBooks, type SimulatedBooks } from './simulatedBooks.js';
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
  /** Order books beside the trades, with spoofing episodes at this rate per hour over every book. */
  readonly books?: { readonly spoofingPerHour: number };
}

export interface TradeGenerator {
  readonly symbols: readonly string[];
  /** Appends up to `max` trades with eventTime < `until` to `out` (and the book changes due by then); returns how many trades. */
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
  const books: SimulatedBooks | undefined =
    options.books === undefined
      ? undefined
      : createSimulatedBooks({
          seed: options.seed,
          exchanges,
          instruments: assets.map((a) => ({ symbol: a.symbol, priceDecimals: a.priceDecimals, quantityDecimals: a.quantityDecimals, weight: a.weight, levelNotional: 2 * a.medianNotional })),
          startTime: options.startTime,
          spoofingPerHour: options.books.spoofingPerHour,
          planned: options.planned.flatMap((p) => (p.kind === 'spoofing' ? [p] : [])),
        });
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

  const makeTrade = (t: number, out: SourceItem[]): void => {
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
    const lots = books === undefined ? 0 : Math.max(1, Math.round(quantity * quantityScale[i]!));
    if (books !== undefined) {
      const quote = Math.exp(logMid + b);
      const ask = Math.max(1, Math.round(quote * (1 + halfSpread[i]!) * priceScale[i]!));
      const bid = Math.max(1, Math.round(quote * (1 - halfSpread[i]!) * priceScale[i]!));
      books.beforeTrade(out, e, i, eventTime, bid, ask, buy, lots);
    }
    let id = lastId[k]! + 1;
    const floor = eventTime * 1000;
    if (id < floor) id = floor;
    lastId[k] = id;

    out.push({
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
    });
    books?.afterTrade(out, e, i, eventTime, buy, lots);
  };

  const fill = (out: SourceItem[], max: number, until: number): number => {
    let count = 0;
    while (count < max && nextArrival < until) {
      books?.flushUntil(out, Math.floor(nextArrival));
      makeTrade(nextArrival, out);
      count++;
      nextArrival = arrivalAfter(nextArrival);
    }
    // Book changes due before the next trade belong to this batch when the clock is past them.
    if (until !== Infinity && nextArrival >= until) books?.flushUntil(out, Math.ceil(until) - 1);
    return count;
  };

  const injected = (): readonly InjectedEvent[] => {
    const booked = books?.injected() ?? [];
    return booked.length === 0 ? events.injected() : [...events.injected(), ...booked].sort((x, y) => x.startTime - y.startTime);
  };
  return { symbols, fill, nextEventTime: () => Math.floor(nextArrival), injected };
};
