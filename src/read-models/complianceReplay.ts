/**
 * Compliance replay: what did the system know about a symbol at time T, beside what is true now.
 *
 * "As recorded at T" folds only events the ledger had recorded by T (corrections issued by then
 * applied). "Valid now" folds every event with event time ≤ T, every correction applied. Both
 * cover one event-time day up to T (T's own day unless another is asked for: what was known at
 * T about an earlier day); the difference is what was learned or corrected since.
 */
import { upcastEvent } from '../domain/events/catalogue.js';
import type { CorrectionIssuedData } from '../domain/events/corrections.js';
import type { RecordedEvent } from '../domain/events/envelope.js';
import type { TradeData } from '../domain/events/market.js';
import { candleOfTrade, candleView, mergeCandles, type Candle, type CandleView } from '../domain/folds/candle.js';
import { applyCorrections, tradeKey } from '../domain/folds/corrections.js';
import { InvalidInputError, NotFoundError } from '../domain/errors.js';
import type { Ledger } from '../domain/ports.js';
import { correctionStream } from '../domain/streams.js';
import { bucketStart, DAY_MS, parseUtcDay, utcDay } from '../domain/time.js';

export interface SymbolState {
  readonly throughPosition: number;
  readonly trades: number;
  readonly lastByExchange: Record<string, { price: string; eventTime: number; tradeId: string }>;
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
  /** Corrections recorded after T that change what was known at T. */
  readonly correctedSince: CorrectionIssuedData[];
  /** Trades with event time ≤ T that the ledger recorded only after T. */
  readonly lateArrivals: number;
}

const fold = (trades: readonly TradeData[], corrections: readonly CorrectionIssuedData[], asOf: number, dayStart: number, through: number): SymbolState => {
  const dayEnd = dayStart + DAY_MS;
  let day: Candle | undefined;
  const last: SymbolState['lastByExchange'] = {};
  let count = 0;
  for (const t of applyCorrections(trades, corrections)) {
    if (t.eventTime > asOf || t.eventTime < dayStart || t.eventTime >= dayEnd) continue;
    count++;
    const c = { ...candleOfTrade({ eventTime: t.eventTime, key: t.tradeId, price: t.price, quantity: t.quantity }, '1d') };
    day = day === undefined ? c : mergeCandles(day, c);
    const prev = last[t.exchange];
    if (prev === undefined || t.eventTime > prev.eventTime || (t.eventTime === prev.eventTime && t.tradeId > prev.tradeId)) {
      last[t.exchange] = { price: t.price, eventTime: t.eventTime, tradeId: t.tradeId };
    }
  }
  return {
    throughPosition: through,
    trades: count,
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
  const [streams, corrStream, recordedBy, head] = await Promise.all([
    ledger.streamsMatching('trades/', `/${symbol}/${day}`),
    ledger.readStream(correctionStream(symbol)),
    ledger.positionRecordedBy(asOf),
    ledger.head(),
  ]);
  const events: RecordedEvent[] = (await Promise.all(streams.map((s) => ledger.readStream(s)))).flat();
  if (events.length === 0 && corrStream.length === 0) {
    throw new NotFoundError(`no trades of ${symbol} on ${day} in the ledger`);
  }
  const all: Array<{ position: number; trade: TradeData }> = [];
  for (const e of events) {
    const up = upcastEvent(e);
    if (up?.type === 'TradeObserved') all.push({ position: e.position, trade: up.data });
  }
  const corrections: Array<{ position: number; data: CorrectionIssuedData }> = [];
  for (const e of corrStream) {
    const up = upcastEvent(e);
    if (up?.type === 'CorrectionIssued') corrections.push({ position: e.position, data: up.data });
  }
  const knownTrades = all.filter((x) => x.position <= recordedBy).map((x) => x.trade);
  const knownCorrections = corrections.filter((c) => c.position <= recordedBy).map((c) => c.data);
  const tradeKeys = new Set(all.map((x) => tradeKey(x.trade)));
  return {
    symbol,
    asOf,
    day,
    asRecorded: fold(knownTrades, knownCorrections, asOf, dayStart, recordedBy),
    validNow: fold(all.map((x) => x.trade), corrections.map((c) => c.data), asOf, dayStart, head.position),
    correctedSince: corrections.filter((c) => c.position > recordedBy && tradeKeys.has(tradeKey(c.data.target))).map((c) => c.data),
    lateArrivals: all.filter((x) => x.position > recordedBy && x.trade.eventTime <= asOf).length,
  };
};
