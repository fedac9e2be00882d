/**
 * Where each ledger event goes on the bus (ARCHITECTURE.md): its topic, and its key, the
 * symbol, so one symbol's events stay in ledger order on one partition. Every event type
 * names its topic here, so a new type does not compile until it has one.
 */
import type { EventType } from '../../domain/events/catalogue.js';
import type { RecordedEvent } from '../../domain/events/envelope.js';

export const TOPICS = {
  pricesRaw: 'crypto.prices.raw',
  market: 'crypto.market',
  alerts: 'crypto.alerts',
  predictions: 'crypto.predictions',
  portfolios: 'crypto.portfolios',
  corrections: 'crypto.corrections',
  dlq: 'crypto.dlq',
  audit: 'crypto.audit',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

const TOPIC_OF: Readonly<Record<EventType, Topic>> = {
  TradeObserved: TOPICS.pricesRaw,
  CandleObserved: TOPICS.pricesRaw,
  MarketSnapshotObserved: TOPICS.market,
  SentimentObserved: TOPICS.market,
  // Facts about a feed's health, not prices: consumers of crypto.prices.raw see only trades and candles.
  FeedGapDetected: TOPICS.market,
  FeedGapHealed: TOPICS.market,
  AlertRuleRegistered: TOPICS.alerts,
  AlertRuleRetired: TOPICS.alerts,
  AlertRaised: TOPICS.alerts,
  AlertResolved: TOPICS.alerts,
  // The relay publishes subscriptions without their webhook secret (domain/events/redaction.ts).
  AlertSubscriptionCreated: TOPICS.alerts,
  WebhookDeliveryAttempted: TOPICS.alerts,
  PredictionMade: TOPICS.predictions,
  PredictionScored: TOPICS.predictions,
  // Without the serialised model (domain/events/redaction.ts): it may exceed a Kafka message.
  ModelTrained: TOPICS.predictions,
  ModelAliasSet: TOPICS.predictions,
  // Derived figures like a model's predictions: one topic for what the analytics concluded.
  RiskAssessed: TOPICS.predictions,
  BacktestRequested: TOPICS.predictions,
  BacktestCompleted: TOPICS.predictions,
  PortfolioOptimised: TOPICS.predictions,
  // What desks hold, as their managers defined it: the commands' facts, beside no market data.
  PortfolioDefined: TOPICS.portfolios,
  PortfolioRedefined: TOPICS.portfolios,
  PortfolioRetired: TOPICS.portfolios,
  CorrectionIssued: TOPICS.corrections,
  RecomputeRequested: TOPICS.corrections,
  RecomputeCompleted: TOPICS.corrections,
  BatchViewPublished: TOPICS.corrections,
  InputRejected: TOPICS.dlq,
  // Who may use the API: published without the key hash (domain/events/redaction.ts).
  KeyIssued: TOPICS.audit,
  KeyRevoked: TOPICS.audit,
};

/** The topic of an event; undefined for a type this build does not know (a newer writer's). */
export const topicOf = (event: RecordedEvent): Topic | undefined =>
  Object.prototype.hasOwnProperty.call(TOPIC_OF, event.type) ? TOPIC_OF[event.type as EventType] : undefined;

/** The symbol the event is about; events about no single symbol are keyed by their stream. */
export const keyOf = (event: RecordedEvent): string => {
  const data = event.data as { symbol?: unknown; symbols?: unknown } | null;
  if (typeof data?.symbol === 'string') return data.symbol;
  if (Array.isArray(data?.symbols) && data.symbols.length === 1 && typeof data.symbols[0] === 'string') return data.symbols[0];
  return event.stream;
};
