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
  /**
   * The last price per exchange: a trade's, or (tradeId null) the close of a 1m candle, with the
   * ledger position of the event it comes from (the trade, the candle, or the correction that
   * replaced the trade): its inclusion proof is one call away.
   */
  readonly lastByExchange: Record<string, { price: string; eventTime: number; tradeId: string | null; position: number }>;
  /** The candle of the replayed day from its start up to T (or its end), all exchanges. */
  readonly dayToT: CandleView | null;
  /** The corrections folded, each with the ledger position of its CorrectionIssued event. */
  readonly correctionsApplied: Array<{ readonly correctionId: string; readonly position: number }>;
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

/** An event's data with the ledger position it was recorded at. */
interface AtPosition<T> {
  readonly position: number;
  readonly data: T;
}

const fold = (
  trades: readonly AtPosition<TradeData>[],
  klines: readonly AtPosition<CandleData>[],
  corrections: readonly AtPosition<CorrectionIssuedData>[],
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
  // Where each folded trade's figures were recorded: its own event, or the last correction of it
  // (a correction never changes which trade it is: exchange, symbol and trade id stay).
  const recordedAt = new Map<string, number>();
  for (const t of trades) recordedAt.set(tradeKey(t.data), t.position);
  for (const c of corrections) recordedAt.set(tradeKey(c.data.target), c.position);
  const applied = applyCorrections(
    trades.map((t) => t.data),
    corrections.map((c) => c.data),
  );
  for (const t of applied) {
    if (!inDayToT(t.eventTime)) continue;
    tradeCount++;
    const [key, slot] = slotAt(t.exchange, bucketStart(t.eventTime, '1m'));
    slots.set(key, addTrade(slot, { eventTime: t.eventTime, key: t.tradeId, price: t.price, quantity: t.quantity, side: t.side }));
    const prev = last[t.exchange];
    if (prev === undefined || t.eventTime > prev.eventTime || (t.eventTime === prev.eventTime && prev.tradeId !== null && t.tradeId > prev.tradeId)) {
      last[t.exchange] = { price: t.price, eventTime: t.eventTime, tradeId: t.tradeId, position: recordedAt.get(tradeKey(t))! };
    }
  }
  for (const { position, data: k } of klines) {
    const candle = candleOfKline(k);
    if (candle === undefined || k.openTime < dayStart || !inDayToT(closeTimeOf(k))) continue;
    candleCount++;
    const [key, slot] = slotAt(k.exchange, k.openTime);
    slots.set(key, addKline(slot, candle));
    const prev = last[k.exchange];
    if (prev === undefined || closeTimeOf(k) > prev.eventTime) last[k.exchange] = { price: k.close, eventTime: closeTimeOf(k), tradeId: null, position };
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
    correctionsApplied: corrections.map((c) => ({ correctionId: c.data.correctionId, position: c.position })),
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
  const all: AtPosition<TradeData>[] = [];
  const klines: AtPosition<CandleData>[] = [];
  for (const e of events) {
    const up = upcastEvent(e);
    if (up?.type === 'TradeObserved') all.push({ position: e.position, data: up.data });
    else if (up?.type === 'CandleObserved') klines.push({ position: e.position, data: up.data });
  }
  const corrections: AtPosition<CorrectionIssuedData>[] = [];
  for (const e of corrStream) {
    const up = upcastEvent(e);
    if (up?.type === 'CorrectionIssued') corrections.push({ position: e.position, data: up.data });
  }
  const known = <T>(xs: readonly AtPosition<T>[]): AtPosition<T>[] => xs.filter((x) => x.position <= recordedBy);
  const tradeKeys = new Set(all.map((x) => tradeKey(x.data)));
  const models = await modelsKnownAt(ledger, symbol, recordedBy, dayStart, Math.min(asOf + 1, dayStart + DAY_MS));
  return {
    symbol,
    asOf,
    day,
    asRecorded: fold(known(all), known(klines), known(corrections), asOf, dayStart, recordedBy),
    validNow: fold(all, klines, corrections, asOf, dayStart, head.position),
    correctedSince: corrections.filter((c) => c.position > recordedBy && tradeKeys.has(tradeKey(c.data.target))).map((c) => ({ ...c.data, position: c.position })),
    lateArrivals:
      all.filter((x) => x.position > recordedBy && x.data.eventTime <= asOf).length +
      klines.filter((x) => x.position > recordedBy && closeTimeOf(x.data) <= asOf).length,
    models,
  };
};
