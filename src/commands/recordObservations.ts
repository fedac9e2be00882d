/**
 * RecordObservations: a batch of observations from one source (trades, candles, market
 * snapshots, sentiment, feed gaps).
 *
 * decide: every valid item becomes a TradeObserved / CandleObserved with its natural dedup key;
 * every invalid one becomes an InputRejected carrying its reason and raw text (the dead letter).
 * Duplicates inside the batch are dropped here; duplicates of what the ledger already holds are
 * dropped by the ledger's dedup key. Nothing is lost silently: the result counts every item.
 */
import type { NewEvent } from '../domain/events/envelope.js';
import { validateEventData } from '../domain/events/catalogue.js';
import { rawText } from '../domain/events/rejection.js';
import type { SourceItem } from '../domain/ports.js';
import { tradeKey } from '../domain/folds/corrections.js';
import { candleKey, candleStream, feedGapStream, marketStream, rejectedStream, sentimentStream, tradeStream } from '../domain/streams.js';
import { feedGapKey } from '../domain/events/feedGaps.js';
import { newEvent, type CommandDeps, type CommandOrigin } from './commandContext.js';

export interface RecordObservations {
  readonly origin: CommandOrigin;
  readonly items: readonly SourceItem[];
}

export interface DecideContext {
  readonly now: number;
  readonly nextId: () => string;
  /** How far ahead of the clock an event time may be before it is rejected as from the future. */
  readonly maxClockSkewMs: number;
}

export const DEFAULT_MAX_CLOCK_SKEW_MS = 60_000;

export interface RecordResult {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  /** Ledger position of the last event this call appended (0 if none). */
  readonly lastPosition: number;
}

const reject = (ctx: DecideContext, origin: CommandOrigin, reason: string, raw: unknown): NewEvent =>
  newEvent(ctx.nextId(), 'InputRejected', rejectedStream(origin.source), {
    source: origin.source,
    reason,
    raw: rawText(raw),
    receivedAt: ctx.now,
  }, origin);

/** The ledger event type each kind of source item becomes. */
export const EVENT_TYPE_OF_KIND = {
  trade: 'TradeObserved',
  candle: 'CandleObserved',
  snapshot: 'MarketSnapshotObserved',
  sentiment: 'SentimentObserved',
  gap: 'FeedGapDetected',
  gapHealed: 'FeedGapHealed',
} as const;

type OtherItem = Extract<SourceItem, { kind: 'snapshot' | 'sentiment' | 'gap' | 'gapHealed' }>;

/** Snapshots, sentiment and feed gaps: validated, one stream per subject, a natural dedup key. */
const decideOther = (item: OtherItem, ctx: DecideContext, origin: CommandOrigin): NewEvent => {
  switch (item.kind) {
    case 'snapshot': {
      const v = validateEventData('MarketSnapshotObserved', item.data);
      if (!v.ok) return reject(ctx, origin, `invalid market snapshot: ${v.reason}`, item.data);
      const d = v.value;
      return newEvent(ctx.nextId(), 'MarketSnapshotObserved', marketStream(d.provider, d.symbol), d, origin, `snapshot:${d.provider}:${d.assetId}:${d.eventTime}`);
    }
    case 'sentiment': {
      const v = validateEventData('SentimentObserved', item.data);
      if (!v.ok) return reject(ctx, origin, `invalid sentiment: ${v.reason}`, item.data);
      const d = v.value;
      return newEvent(ctx.nextId(), 'SentimentObserved', sentimentStream(d.symbol), d, origin, `sentiment:${d.provider}:${d.symbol}:${d.minute}`);
    }
    case 'gap': {
      const v = validateEventData('FeedGapDetected', item.data);
      if (!v.ok) return reject(ctx, origin, `invalid feed gap: ${v.reason}`, item.data);
      const d = v.value;
      return newEvent(ctx.nextId(), 'FeedGapDetected', feedGapStream(d.exchange, d.symbol), d, origin, `gap:${feedGapKey(d)}`);
    }
    case 'gapHealed': {
      const v = validateEventData('FeedGapHealed', item.data);
      if (!v.ok) return reject(ctx, origin, `invalid feed gap healing: ${v.reason}`, item.data);
      const d = v.value;
      return newEvent(ctx.nextId(), 'FeedGapHealed', feedGapStream(d.exchange, d.symbol), d, origin, `gap-healed:${feedGapKey(d)}`);
    }
  }
};

export const decideRecordObservations = (cmd: RecordObservations, ctx: DecideContext): NewEvent[] => {
  const events: NewEvent[] = [];
  const seen = new Set<string>();
  const latest = ctx.now + ctx.maxClockSkewMs;
  for (const item of cmd.items) {
    if (item.kind === 'rejected') {
      events.push(reject(ctx, cmd.origin, item.reason, item.raw));
      continue;
    }
    if (item.kind === 'trade') {
      const v = validateEventData('TradeObserved', item.data);
      if (!v.ok) {
        events.push(reject(ctx, cmd.origin, `invalid trade: ${v.reason}`, item.data));
        continue;
      }
      const t = v.value;
      if (t.eventTime > latest) {
        events.push(reject(ctx, cmd.origin, `invalid trade: eventTime ${new Date(t.eventTime).toISOString()} is in the future`, item.data));
        continue;
      }
      const key = tradeKey(t);
      if (seen.has(key)) continue;
      seen.add(key);
      events.push(newEvent(ctx.nextId(), 'TradeObserved', tradeStream(t.exchange, t.symbol, t.eventTime), t, cmd.origin, key));
      continue;
    }
    if (item.kind === 'candle') {
      const v = validateEventData('CandleObserved', item.data);
      if (!v.ok) {
        events.push(reject(ctx, cmd.origin, `invalid candle: ${v.reason}`, item.data));
        continue;
      }
      const c = v.value;
      const consistent = Number(c.low) <= Number(c.open) && Number(c.low) <= Number(c.close) &&
        Number(c.high) >= Number(c.open) && Number(c.high) >= Number(c.close);
      if (!consistent) {
        events.push(reject(ctx, cmd.origin, 'invalid candle: low must be ≤ open, close ≤ high', item.data));
        continue;
      }
      if (c.openTime > latest) {
        events.push(reject(ctx, cmd.origin, 'invalid candle: openTime is in the future', item.data));
        continue;
      }
      const key = candleKey(c);
      if (seen.has(key)) continue;
      seen.add(key);
      events.push(newEvent(ctx.nextId(), 'CandleObserved', candleStream(c.exchange, c.symbol, c.openTime), c, cmd.origin, key));
      continue;
    }
    const event = decideOther(item, ctx, cmd.origin);
    if (event.dedupKey !== undefined) {
      if (seen.has(event.dedupKey)) continue;
      seen.add(event.dedupKey);
    }
    events.push(event);
  }
  return events;
};

/** Handler: decide, then one atomic append (the ledger group-commits concurrent callers). */
export const recordObservations = async (deps: CommandDeps, cmd: RecordObservations): Promise<RecordResult> => {
  const events = decideRecordObservations(cmd, {
    now: deps.clock.now(),
    nextId: () => deps.ids.next(),
    maxClockSkewMs: DEFAULT_MAX_CLOCK_SKEW_MS,
  });
  const inBatchDuplicates = cmd.items.length - events.length;
  if (events.length === 0) return { accepted: 0, duplicates: inBatchDuplicates, rejected: 0, lastPosition: 0 };
  const result = await deps.ledger.append(events);
  let rejected = 0;
  for (const e of result.appended) if (e.type === 'InputRejected') rejected++;
  const last = result.appended[result.appended.length - 1];
  return {
    accepted: result.appended.length - rejected,
    duplicates: inBatchDuplicates + result.duplicates.length,
    rejected,
    lastPosition: last?.position ?? 0,
  };
};
