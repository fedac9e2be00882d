/** Answers of the alert routes: rules, alerts, webhook subscriptions and their deliveries (domain/events/signals.ts, AlertBook in domain/ports.ts). */
import { arrayOf, boolean, epochMs, integer, mapOf, nullable, number, object, position, recorded, severity, string, symbol } from './common.js';

const evidence = mapOf({});

export const alertRule = object({
  ruleId: string,
  detector: string,
  symbols: { anyOf: [arrayOf(symbol), { type: 'string', const: '*' }] },
  params: mapOf({}),
  severity,
  position,
  actor: string,
  retired: nullable(object({ position, actor: string, reason: string })),
});

export const alert = object({
  alertId: string,
  ruleId: string,
  detector: string,
  symbol,
  severity,
  eventTime: epochMs,
  message: string,
  evidence,
  position,
  recordedAt: epochMs,
  resolved: nullable(object({ alertId: string, ruleId: string, symbol, eventTime: epochMs, evidence, position })),
});

export const alertsPage = object({ alerts: arrayOf(alert), next: nullable(position), throughPosition: position });
export const rulesAnswer = object({ rules: arrayOf(alertRule) });

export const ruleRegistered = recorded({ ruleId: string, created: boolean });
export const ruleRetired = recorded();

const filter = object({ symbols: arrayOf(symbol), severities: arrayOf(severity), rules: arrayOf(string) }, []);
/** A subscription as the API shows it: never its secret. */
export const subscription = object({ subscriptionId: string, url: string, filter, position, actor: string });
export const subscriptionCreated = recorded({ subscriptionId: string });
export const subscriptionsAnswer = object({ subscriptions: arrayOf(subscription) });

export const jobCounts = object({ waiting: integer, active: integer, completed: integer, failed: integer });
export const failedJob = object({ id: string, queue: string, payload: {}, attempts: integer, error: string, failedAt: epochMs });

const delivery = object({
  subscriptionId: string,
  alertId: string,
  attempt: number,
  outcome: { type: 'string', enum: ['delivered', 'failed', 'dead-lettered'] },
  status: nullable(number),
  error: nullable(string),
  position,
  recordedAt: epochMs,
});
export const deliveriesAnswer = object({ subscription, deliveries: arrayOf(delivery), deadLetters: arrayOf(delivery), queue: jobCounts });
