/**
 * The event catalogue: every event type, its current schemaVersion, its data codec, and the
 * upcasters that lift older stored versions to the current one. Readers call `upcastEvent`
 * so that folds only ever see current shapes.
 */
import type * as t from 'io-ts';
import { validate, type Validated } from '../validation.js';
import type { RecordedEvent } from './envelope.js';
import { CandleData, MarketSnapshotData, SentimentData, TradeData } from './market.js';
import { InputRejectedData } from './rejection.js';
import { FeedGapDetectedData, FeedGapHealedData } from './feedGaps.js';
import {
  BatchViewPublishedData,
  CorrectionIssuedData,
  RecomputeCompletedData,
  RecomputeRequestedData,
} from './corrections.js';
import {
  AlertRaisedData,
  AlertResolvedData,
  AlertRuleRegisteredData,
  AlertRuleRetiredData,
  AlertSubscriptionCreatedData,
  WebhookDeliveryAttemptedData,
} from './signals.js';
import { ModelAliasSetData, ModelTrainedData, PredictionMadeData, PredictionScoredData } from './models.js';
import { RiskAssessedData } from './risk.js';
import { KeyIssuedData, KeyRevokedData } from './apiKeys.js';
import { BacktestCompletedData, BacktestRequestedData } from './backtests.js';
import { PortfolioDefinedData, PortfolioOptimisedData, PortfolioRedefinedData, PortfolioRetiredData } from './portfolio.js';

/** Lifts data stored at version `from` to version `from + 1`. */
export type Upcaster = (data: unknown) => unknown;

interface CatalogueEntry<C extends t.Mixed> {
  readonly codec: C;
  readonly schemaVersion: number;
  /** upcasters[v] lifts version v to v + 1. */
  readonly upcasters: Readonly<Record<number, Upcaster>>;
}

const entry = <C extends t.Mixed>(codec: C, schemaVersion = 1, upcasters: Record<number, Upcaster> = {}): CatalogueEntry<C> => ({
  codec,
  schemaVersion,
  upcasters,
});

export const catalogue = {
  TradeObserved: entry(TradeData),
  CandleObserved: entry(CandleData),
  MarketSnapshotObserved: entry(MarketSnapshotData),
  SentimentObserved: entry(SentimentData),
  InputRejected: entry(InputRejectedData),
  FeedGapDetected: entry(FeedGapDetectedData),
  FeedGapHealed: entry(FeedGapHealedData),
  CorrectionIssued: entry(CorrectionIssuedData),
  RecomputeRequested: entry(RecomputeRequestedData),
  RecomputeCompleted: entry(RecomputeCompletedData),
  BatchViewPublished: entry(BatchViewPublishedData),
  AlertRuleRegistered: entry(AlertRuleRegisteredData),
  AlertRuleRetired: entry(AlertRuleRetiredData),
  AlertRaised: entry(AlertRaisedData),
  AlertResolved: entry(AlertResolvedData),
  AlertSubscriptionCreated: entry(AlertSubscriptionCreatedData),
  WebhookDeliveryAttempted: entry(WebhookDeliveryAttemptedData),
  // Version 1 (a model name and one interval) was never written by any build: nothing to lift.
  PredictionMade: entry(PredictionMadeData, 2),
  PredictionScored: entry(PredictionScoredData),
  ModelTrained: entry(ModelTrainedData),
  ModelAliasSet: entry(ModelAliasSetData),
  RiskAssessed: entry(RiskAssessedData),
  KeyIssued: entry(KeyIssuedData),
  KeyRevoked: entry(KeyRevokedData),
  BacktestRequested: entry(BacktestRequestedData),
  BacktestCompleted: entry(BacktestCompletedData),
  PortfolioDefined: entry(PortfolioDefinedData),
  PortfolioRedefined: entry(PortfolioRedefinedData),
  PortfolioRetired: entry(PortfolioRetiredData),
  PortfolioOptimised: entry(PortfolioOptimisedData),
} as const;

type Catalogue = typeof catalogue;
export type EventType = keyof Catalogue;
export type EventData<T extends EventType> = t.TypeOf<Catalogue[T]['codec']>;

/** A recorded event whose data is of its type's current shape. */
export type DomainEvent = { [T in EventType]: RecordedEvent<T, EventData<T>> }[EventType];
export type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;

export const isEventType = (s: string): s is EventType => Object.prototype.hasOwnProperty.call(catalogue, s);

export const currentSchemaVersion = (type: EventType): number => catalogue[type].schemaVersion;

/** Validates data for a new event of `type` at the current version. */
export const validateEventData = <T extends EventType>(type: T, data: unknown): Validated<EventData<T>> =>
  validate(catalogue[type].codec as t.Decoder<unknown, EventData<T>>, data, 'data');

/**
 * Brings a stored event to the current schema. Events of unknown types or versions newer than
 * this build knows are returned as `unknown`, so that an old reader skips them instead of crashing.
 */
export const upcastEvent = (event: RecordedEvent): DomainEvent | undefined => {
  if (!isEventType(event.type)) return undefined;
  const spec: CatalogueEntry<t.Mixed> = catalogue[event.type];
  if (event.schemaVersion === spec.schemaVersion) return event as DomainEvent;
  if (event.schemaVersion > spec.schemaVersion) return undefined;
  let data = event.data;
  for (let v = event.schemaVersion; v < spec.schemaVersion; v++) {
    const up = spec.upcasters[v];
    if (up === undefined) return undefined;
    data = up(data);
  }
  return { ...event, schemaVersion: spec.schemaVersion, data } as DomainEvent;
};
