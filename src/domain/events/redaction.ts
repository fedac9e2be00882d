/**
 * What leaves the ledger's trust boundary (the bus, the lake export) never carries a secret.
 * The ledger keeps a webhook's secret because the dispatcher must still sign deliveries after
 * a restart and the ledger is the only durable store of a subscription; every copy made for
 * others goes through `redactSecrets`. A redacted copy no longer matches its `hash`: the
 * chain is verified against the ledger, never against a copy.
 */
import type { RecordedEvent } from './envelope.js';

/** The data fields that are secrets, per event type. */
const SECRET_FIELDS: Readonly<Record<string, readonly string[]>> = {
  AlertSubscriptionCreated: ['secret'],
  // Not the key, but what a presented key is checked against: it stays in the ledger.
  KeyIssued: ['keyHash'],
};

/** The event without its secret fields; the same object when it has none. */
export const redactSecrets = (event: RecordedEvent): RecordedEvent => {
  const fields = SECRET_FIELDS[event.type];
  if (fields === undefined || typeof event.data !== 'object' || event.data === null) return event;
  const data: Record<string, unknown> = { ...(event.data as Record<string, unknown>) };
  for (const f of fields) delete data[f];
  return { ...event, data };
};

/**
 * Fields the bus does not carry, per event type: not secrets, but too large for one Kafka message
 * (message.max.bytes, 1 MB by default; a random forest of 50 depth-8 trees serialises to more).
 * The event on the bus keeps the field's hash (`modelHash`); the ledger and the API serve the field.
 */
const BULKY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  ModelTrained: ['model'],
};

/** What the relay publishes: the event without its secrets and without its bulky fields. */
export const busCopy = (event: RecordedEvent): RecordedEvent => {
  const redacted = redactSecrets(event);
  const fields = BULKY_FIELDS[event.type];
  if (fields === undefined || typeof redacted.data !== 'object' || redacted.data === null) return redacted;
  const data: Record<string, unknown> = { ...(redacted.data as Record<string, unknown>) };
  for (const f of fields) delete data[f];
  return { ...redacted, data };
};
