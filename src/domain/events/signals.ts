/** Alert rules, alerts and model predictions: what the system itself concluded, kept as facts. */
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

export const PredictionMadeData = t.type({
  predictionId: NonEmptyString,
  symbol: MarketSymbolCodec,
  model: NonEmptyString,
  horizonMs: t.number,
  madeAt: EventTime,
  predicted: t.number,
  lower: t.number,
  upper: t.number,
  confidence: t.number,
});
export type PredictionMadeData = t.TypeOf<typeof PredictionMadeData>;
