/**
 * Compliance replay: what did the system know about a symbol at time T, beside what is true now.
 *
 * "As recorded at T" folds only events the ledger had recorded by T (corrections issued by then
 * applied). "Valid now" folds every event with event time ≤ T, every correction applied. Both
 * cover one event-time day up to T (T's own day unless another is asked for: what was known at
 * T about an earlier day); the difference is what was learned or corrected since.
 *
 * Both trades and the exchanges' closed 1m candles (`CandleObserved`, what kline imports and
 * kline feeds record) are folded, minute by minute and exchange by exchange as the batch layer
 * does (a minute known from both counts once: the exchange's candle). A candle counts once its
 * minute has closed by T.
 */
import { upcastEvent } from '../domain/events/catalogue.js';
import type { CorrectionIssuedData } from '../domain/events/corrections.js';
import type { RecordedEvent } from '../domain/events/envelope.js';
import type { CandleData, TradeData } from '../domain/events/market.js';
import { candleView, mergeCandles, type Candle, type CandleView } from '../domain/folds/candle.js';
import { applyCorrections, tradeKey } from '../domain/folds/corrections.js';
import { addKline, addTrade, candleOfKline, EMPTY_SLOT, slotCandle, type MinuteSlot } from '../domain/folds/minuteSlot.js';
import { InvalidInputError, NotFoundError } from '../domain/errors.js';
import type { Ledger } from '../domain/ports.js';
import { correctionStream } from '../domain/streams.js';
import { modelsKnownAt, type ModelsKnownAt } from './modelsAsOf.js';
import { bucketStart, DAY_MS, INTERVAL_MS, parseUtcDay, utcDay } from '../domain/time.js';

export interface SymbolState {
  readonly throughPosition: number;
  readonly trades: number;
  /** Closed 1m candles of the exchanges (klines) folded. */
  readonly candles: number;
  /** The last price per exchange: a trade's, or (tradeId null) the close of a 1m candle. */
  readonly lastByExchange: Record<string, { price: string; eventTime: number; tradeId: string | null }>;
  /** The candle of the replayed day from its start up to T (or its end), all exchanges. */
  readonly dayToT: CandleView | null;
  readonly correctionsApplied: string[];
}

export interface ReplayAnswer {
  readonly symbol: string;
  readonly asOf: number;
  /** The event-time day replayed, `yyyy-mm-dd` UTC. */
  readonly day: string;
  readonly asRecorded: SymbolState;
  readonly validNow: SymbolState;
  /** Corrections recorded after T that change what was known at T, each with its ledger position (its proof is one call away). */
  readonly correctedSince: Array<CorrectionIssuedData & { readonly position: number }>;
  /** Trades and candles with event time ≤ T that the ledger recorded only after T. */
  readonly lateArrivals: number;
  /** The symbol's models and predictions as recorded at T (modelsAsOf.ts). */
  readonly models: ModelsKnownAt;
}

/** When a 1m candle is complete: its minute's last millisecond. */
const closeTimeOf = (k: CandleData): number => k.openTime + INTERVAL_MS['1m'] - 1;

const fold = (
  trades: readonly TradeData[],
  klines: readonly CandleData[],
  corrections: readonly CorrectionIssuedData[],
  asOf: number,
  dayStart: number,
  through: number,
): SymbolState => {
  const dayEnd = dayStart + DAY_MS;
  const inDayToT = (t: number): boolean => t <= asOf && t >= dayStart && t < dayEnd;
  /** One slot per exchange and minute, so that a minute known from trades and from a kline counts once. */
  const slots = new Map<string, MinuteSlot>();
  const slotAt = (exchange: string, minute: number): [string, MinuteSlot] => {
    const key = `${exchange}|${minute}`;
    return [key, slots.get(key) ?? EMPTY_SLOT];
  };
  const last: SymbolState['lastByExchange'] = {};
  let tradeCount = 0;
  let candleCount = 0;
  for (const t of applyCorrections(trades, corrections)) {
    if (!inDayToT(t.eventTime)) continue;
    tradeCount++;
    const [key, slot] = slotAt(t.exchange, bucketStart(t.eventTime, '1m'));
    slots.set(key, addTrade(slot, { eventTime: t.eventTime, key: t.tradeId, price: t.price, quantity: t.quantity, side: t.side }));
    const prev = last[t.exchange];
    if (prev === undefined || t.eventTime > prev.eventTime || (t.eventTime === prev.eventTime && prev.tradeId !== null && t.tradeId > prev.tradeId)) {
      last[t.exchange] = { price: t.price, eventTime: t.eventTime, tradeId: t.tradeId };
    }
  }
  for (const k of klines) {
    const candle = candleOfKline(k);
    if (candle === undefined || k.openTime < dayStart || !inDayToT(closeTimeOf(k))) continue;
    candleCount++;
    const [key, slot] = slotAt(k.exchange, k.openTime);
    slots.set(key, addKline(slot, candle));
    const prev = last[k.exchange];
    if (prev === undefined || closeTimeOf(k) > prev.eventTime) last[k.exchange] = { price: k.close, eventTime: closeTimeOf(k), tradeId: null };
  }
  let day: Candle | undefined;
  for (const slot of slots.values()) {
    const c = slotCandle(slot);
    if (c !== undefined) day = day === undefined ? { ...c, bucketStart: dayStart } : mergeCandles(day, c, dayStart);
  }
  return {
    throughPosition: through,
    trades: tradeCount,
    candles: candleCount,
    lastByExchange: last,
    dayToT: day === undefined ? null : candleView(day),
    correctionsApplied: corrections.map((c) => c.correctionId),
  };
};

/** `day` (`yyyy-mm-dd`) replays that event-time day as known at `asOf`; by default, asOf's own day. */
export const replayAsOf = async (ledger: Ledger, symbol: string, asOf: number, dayAsked?: string): Promise<ReplayAnswer> => {
  const dayStart = dayAsked === undefined ? bucketStart(asOf, '1d') : parseUtcDay(dayAsked);
  if (dayStart === undefined) throw new InvalidInputError(`day: expected yyyy-mm-dd, got "${dayAsked}"`);
  if (dayStart > asOf) throw new InvalidInputError(`day ${dayAsked} starts after asOf ${new Date(asOf).toISOString()}: nothing of it was known then`);
  const day = utcDay(dayStart);
  const [tradeStreams, candleStreams, corrStream, recordedBy, head] = await Promise.all([
    ledger.streamsMatching('trades/', `/${symbol}/${day}`),
    ledger.streamsMatching('candles/', `/${symbol}/${day}`),
    ledger.readStream(correctionStream(symbol)),
    ledger.positionRecordedBy(asOf),
    ledger.head(),
  ]);
  const events: RecordedEvent[] = (await Promise.all([...tradeStreams, ...candleStreams].map((s) => ledger.readStream(s)))).flat();
  if (events.length === 0 && corrStream.length === 0) {
    throw new NotFoundError(`no trades or candles of ${symbol} on ${day} in the ledger`);
  }
  const all: Array<{ position: number; trade: TradeData }> = [];
  const klines: Array<{ position: number; kline: CandleData }> = [];
  for (const e of events) {
    const up = upcastEvent(e);
    if (up?.type === 'TradeObserved') all.push({ position: e.position, trade: up.data });
    else if (up?.type === 'CandleObserved') klines.push({ position: e.position, kline: up.data });
  }
  const corrections: Array<{ position: number; data: CorrectionIssuedData }> = [];
  for (const e of corrStream) {
    const up = upcastEvent(e);
    if (up?.type === 'CorrectionIssued') corrections.push({ position: e.position, data: up.data });
  }
  const knownTrades = all.filter((x) => x.position <= recordedBy).map((x) => x.trade);
  const knownKlines = klines.filter((x) => x.position <= recordedBy).map((x) => x.kline);
  const knownCorrections = corrections.filter((c) => c.position <= recordedBy).map((c) => c.data);
  const tradeKeys = new Set(all.map((x) => tradeKey(x.trade)));
  const models = await modelsKnownAt(ledger, symbol, recordedBy, dayStart, Math.min(asOf + 1, dayStart + DAY_MS));
  return {
    symbol,
    asOf,
    day,
    asRecorded: fold(knownTrades, knownKlines, knownCorrections, asOf, dayStart, recordedBy),
    validNow: fold(all.map((x) => x.trade), klines.map((x) => x.kline), corrections.map((c) => c.data), asOf, dayStart, head.position),
    correctedSince: corrections.filter((c) => c.position > recordedBy && tradeKeys.has(tradeKey(c.data.target))).map((c) => ({ ...c.data, position: c.position })),
    lateArrivals:
      all.filter((x) => x.position > recordedBy && x.trade.eventTime <= asOf).length +
      klines.filter((x) => x.position > recordedBy && closeTimeOf(x.kline) <= asOf).length,
    models,
  };
};
