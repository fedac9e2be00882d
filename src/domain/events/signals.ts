/** Alert rules, alerts and webhook deliveries: what the system itself concluded, kept as facts (predictions: models.ts). */
import * as t from 'io-ts';
import { EventTime, MarketSymbolCodec, NonEmptyString } from '../validation.js';

export const Severity = t.keyof({ info: null, warning: null, critical: null });
export type Severity = t.TypeOf<typeof Severity>;

export const AlertRuleRegisteredData = t.type({
  ruleId: NonEmptyString,
  detector: NonEmptyString,
  symbols: t.union([t.array(MarketSymbolCodec), t.literal('*')]),
  params: t.record(t.string, t.unknown),
  severity: Severity,
});
export type AlertRuleRegisteredData = t.TypeOf<typeof AlertRuleRegisteredData>;

export const AlertRuleRetiredData = t.type({ ruleId: NonEmptyString, reason: t.string });
export type AlertRuleRetiredData = t.TypeOf<typeof AlertRuleRetiredData>;

export const AlertRaisedData = t.type({
  alertId: NonEmptyString,
  ruleId: NonEmptyString,
  detector: NonEmptyString,
  symbol: MarketSymbolCodec,
  severity: Severity,
  eventTime: EventTime,
  message: t.string,
  evidence: t.record(t.string, t.unknown),
});
export type AlertRaisedData = t.TypeOf<typeof AlertRaisedData>;

export const AlertResolvedData = t.type({
  alertId: NonEmptyString,
  ruleId: NonEmptyString,
  symbol: MarketSymbolCodec,
  eventTime: EventTime,
  evidence: t.record(t.string, t.unknown),
});
export type AlertResolvedData = t.TypeOf<typeof AlertResolvedData>;

/** Which alerts a subscriber wants; an absent field matches everything. */
export const AlertFilter = t.partial({
  symbols: t.array(MarketSymbolCodec),
  severities: t.array(Severity),
  rules: t.array(NonEmptyString),
});
export type AlertFilter = t.TypeOf<typeof AlertFilter>;

/** An empty or absent list matches everything; otherwise the alert's value must be in it. */
export const matchesFilter = (f: AlertFilter, a: { symbol: string; severity: Severity; ruleId: string }): boolean =>
  (f.symbols === undefined || f.symbols.length === 0 || f.symbols.includes(a.symbol)) &&
  (f.severities === undefined || f.severities.length === 0 || f.severities.includes(a.severity)) &&
  (f.rules === undefined || f.rules.length === 0 || f.rules.includes(a.ruleId));

/**
 * A webhook subscription. The secret is kept in the ledger because deliveries must be signable
 * after a restart; it is never returned by the API.
 */
export const AlertSubscriptionCreatedData = t.type({
  subscriptionId: NonEmptyString,
  url: NonEmptyString,
  secret: NonEmptyString,
  filter: AlertFilter,
});
export type AlertSubscriptionCreatedData = t.TypeOf<typeof AlertSubscriptionCreatedData>;

/** One try to deliver one alert to one webhook, and what came of it. */
export const WebhookDeliveryAttemptedData = t.type({
  subscriptionId: NonEmptyString,
  alertId: NonEmptyString,
  attempt: t.number,
  outcome: t.keyof({ delivered: null, failed: null, 'dead-lettered': null }),
  status: t.union([t.number, t.null]),
  error: t.union([t.string, t.null]),
});
export type WebhookDeliveryAttemptedData = t.TypeOf<typeof WebhookDeliveryAttemptedData>;
