/**
 * RecordObservations: a batch of observations from one source (trades, candles, market
 * snapshots, sentiment, feed gaps).
 *
 * decide: every valid item becomes a TradeObserved / CandleObserved with its natural dedup key;
 * every invalid one becomes an InputRejected carrying its reason and raw text (the dead letter).
 * Duplicates inside the batch are dropped here; duplicates of what the ledger already holds are
 * dropped by the ledger's dedup key. Nothing is lost silently: the result counts every item.
 */
import { statelessDecider, type Decision } from '../domain/decider.js';
import { validateEventData } from '../domain/events/catalogue.js';
import { rawText, type InputRejectedData } from '../domain/events/rejection.js';
import { validateTrade } from '../domain/events/validateTrade.js';
import type { SourceItem } from '../domain/ports.js';
import { tradeKey } from '../domain/folds/corrections.js';
import { bookStream, candleKey, candleStream, feedGapStream, marketStream, rejectedStream, sentimentStream, tradeStream } from '../domain/streams.js';
import { feedGapKey } from '../domain/events/feedGaps.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandMetadata, type CommandOrigin } from './commandContext.js';
import { handleCommand } from './handleCommand.js';

export interface RecordObservations {
  readonly origin: CommandOrigin;
  readonly items: readonly SourceItem[];
}

/** How far ahead of the clock an event time may be before it is rejected as from the future. */
export const MAX_CLOCK_SKEW_MS = 60_000;

export interface RecordResult {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  /** Ledger position of the last event this call appended (0 if none). */
  readonly lastPosition: number;
  /** Events appended, per event type (InputRejected included): what /metrics counts. */
  readonly appendedByType: Readonly<Record<string, number>>;
  /** The reasons of the InputRejected events appended (the dead letters), in order. */
  readonly rejectionReasons: readonly string[];
}

const reject = (metadata: CommandMetadata, reason: string, raw: unknown): Decision =>
  newEvent(metadata.nextId(), 'InputRejected', rejectedStream(metadata.origin.source), {
    source: metadata.origin.source,
    reason,
    raw: rawText(raw),
    receivedAt: metadata.now,
  }, metadata.origin);

/** The ledger event type each kind of source item becomes. */
export const EVENT_TYPE_OF_KIND = {
  trade: 'TradeObserved',
  candle: 'CandleObserved',
  snapshot: 'MarketSnapshotObserved',
  sentiment: 'SentimentObserved',
  gap: 'FeedGapDetected',
  gapHealed: 'FeedGapHealed',
  bookResync: 'BookResynced',
} as const;

type OtherItem = Extract<SourceItem, { kind: 'snapshot' | 'sentiment' | 'gap' | 'gapHealed' | 'bookResync' }>;

/** Snapshots, sentiment and feed gaps: validated, one stream per subject, a natural dedup key. */
const decideOther = (item: OtherItem, metadata: CommandMetadata): Decision => {
  const { origin } = metadata;
  switch (item.kind) {
    case 'snapshot': {
      const v = validateEventData('MarketSnapshotObserved', item.data);
      if (!v.ok) return reject(metadata, `invalid market snapshot: ${v.reason}`, item.data);
      const d = v.value;
      return newEvent(metadata.nextId(), 'MarketSnapshotObserved', marketStream(d.provider, d.symbol), d, origin, `snapshot:${d.provider}:${d.assetId}:${d.eventTime}`);
    }
    case 'sentiment': {
      const v = validateEventData('SentimentObserved', item.data);
      if (!v.ok) return reject(metadata, `invalid sentiment: ${v.reason}`, item.data);
      const d = v.value;
      return newEvent(metadata.nextId(), 'SentimentObserved', sentimentStream(d.symbol), d, origin, `sentiment:${d.provider}:${d.symbol}:${d.minute}`);
    }
    case 'gap': {
      const v = validateEventData('FeedGapDetected', item.data);
      if (!v.ok) return reject(metadata, `invalid feed gap: ${v.reason}`, item.data);
      const d = v.value;
      return newEvent(metadata.nextId(), 'FeedGapDetected', feedGapStream(d.exchange, d.symbol), d, origin, `gap:${feedGapKey(d)}`);
    }
    case 'gapHealed': {
      const v = validateEventData('FeedGapHealed', item.data);
      if (!v.ok) return reject(metadata, `invalid feed gap healing: ${v.reason}`, item.data);
      const d = v.value;
      return newEvent(metadata.nextId(), 'FeedGapHealed', feedGapStream(d.exchange, d.symbol), d, origin, `gap-healed:${feedGapKey(d)}`);
    }
    case 'bookResync': {
      const v = validateEventData('BookResynced', item.data);
      if (!v.ok) return reject(metadata, `invalid book resync: ${v.reason}`, item.data);
      const d = v.value;
      return newEvent(metadata.nextId(), 'BookResynced', bookStream(d.exchange, d.symbol), d, origin, `book-resync:${d.exchange}:${d.symbol}:${d.reason}:${d.eventTime}`);
    }
  }
};

export const recordObservationsDecider = statelessDecider(({ data: items, metadata }: Command<readonly SourceItem[]>) => {
  const { origin } = metadata;
  const events: Decision[] = [];
  const seen = new Set<string>();
  const latest = metadata.now + MAX_CLOCK_SKEW_MS;
  for (const item of items) {
    // Book snapshots and updates are not ledger facts one by one: ingestSource hands them to the
    // book consumer; a caller that passes them here anyway records nothing for them.
    if (item.kind === 'bookSnapshot' || item.kind === 'bookUpdate') continue;
    if (item.kind === 'rejected') {
      events.push(reject(metadata, item.reason, item.raw));
      continue;
    }
    if (item.kind === 'trade') {
      const v = validateTrade(item.data);
      if (!v.ok) {
        events.push(reject(metadata, `invalid trade: ${v.reason}`, item.data));
        continue;
      }
      const t = v.value;
      if (t.eventTime > latest) {
        events.push(reject(metadata, `invalid trade: eventTime ${new Date(t.eventTime).toISOString()} is in the future`, item.data));
        continue;
      }
      const key = tradeKey(t);
      if (seen.has(key)) continue;
      seen.add(key);
      events.push(newEvent(metadata.nextId(), 'TradeObserved', tradeStream(t.exchange, t.symbol, t.eventTime), t, origin, key));
      continue;
    }
    if (item.kind === 'candle') {
      const v = validateEventData('CandleObserved', item.data);
      if (!v.ok) {
        events.push(reject(metadata, `invalid candle: ${v.reason}`, item.data));
        continue;
      }
      const c = v.value;
      const consistent = Number(c.low) <= Number(c.open) && Number(c.low) <= Number(c.close) &&
        Number(c.high) >= Number(c.open) && Number(c.high) >= Number(c.close);
      if (!consistent) {
        events.push(reject(metadata, 'invalid candle: low must be ≤ open, close ≤ high', item.data));
        continue;
      }
      if (c.openTime > latest) {
        events.push(reject(metadata, 'invalid candle: openTime is in the future', item.data));
        continue;
      }
      const key = candleKey(c);
      if (seen.has(key)) continue;
      seen.add(key);
      events.push(newEvent(metadata.nextId(), 'CandleObserved', candleStream(c.exchange, c.symbol, c.openTime), c, origin, key));
      continue;
    }
    const event = decideOther(item, metadata);
    if (event.dedupKey !== undefined) {
      if (seen.has(event.dedupKey)) continue;
      seen.add(event.dedupKey);
    }
    events.push(event);
  }
  return events;
});

/** Handler: decide, then one atomic append (the ledger group-commits concurrent callers). */
export const recordObservations = async (deps: CommandDeps, cmd: RecordObservations): Promise<RecordResult> => {
  const { decided, result } = await handleCommand(deps.ledger, {
    decider: recordObservationsDecider,
    command: { data: cmd.items, metadata: metadataFor(deps, cmd.origin) },
  });
  const inBatchDuplicates = cmd.items.length - decided.length;
  if (result === undefined) return { accepted: 0, duplicates: inBatchDuplicates, rejected: 0, lastPosition: 0, appendedByType: {}, rejectionReasons: [] };
  const appendedByType: Record<string, number> = {};
  const rejectionReasons: string[] = [];
  for (const e of result.appended) {
    appendedByType[e.type] = (appendedByType[e.type] ?? 0) + 1;
    if (e.type === 'InputRejected') rejectionReasons.push((e.data as InputRejectedData).reason);
  }
  const last = result.appended[result.appended.length - 1];
  return {
    accepted: result.appended.length - rejectionReasons.length,
    duplicates: inBatchDuplicates + result.duplicates.length,
    rejected: rejectionReasons.length,
    lastPosition: last?.position ?? 0,
    appendedByType,
    rejectionReasons,
  };
};
