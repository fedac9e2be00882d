/**
 * RecordAlerts: what the alert engine concluded goes into the ledger like any other fact. Each
 * raise and resolve carries a dedup key from its deterministic alert id, so an engine that
 * restarts and concludes the same again appends nothing new.
 */
import type { NewEvent } from '../domain/events/envelope.js';
import type { AlertOutput } from '../domain/detectors/alertFold.js';
import { alertStream } from '../domain/streams.js';
import { newEvent, type CommandDeps, type CommandOrigin } from './commandContext.js';

export const ALERT_ENGINE_ACTOR = 'system:alert-engine';

export const alertDedupKey = (alertId: string, kind: 'raised' | 'resolved'): string => `alert/${alertId}/${kind}`;

export const decideRecordAlerts = (outputs: readonly AlertOutput[], origin: CommandOrigin, ids: { nextId: () => string }): NewEvent[] =>
  outputs.map((o) => {
    const from = { ...origin, causationId: o.causeEventId };
    return o.type === 'AlertRaised'
      ? newEvent(ids.nextId(), 'AlertRaised', alertStream(o.data.symbol), o.data, from, alertDedupKey(o.data.alertId, 'raised'))
      : newEvent(ids.nextId(), 'AlertResolved', alertStream(o.data.symbol), o.data, from, alertDedupKey(o.data.alertId, 'resolved'));
  });

export const recordAlerts = async (deps: CommandDeps, outputs: readonly AlertOutput[], origin: CommandOrigin): Promise<{ appended: number; duplicates: number }> => {
  if (outputs.length === 0) return { appended: 0, duplicates: 0 };
  const result = await deps.ledger.append(decideRecordAlerts(outputs, origin, { nextId: () => deps.ids.next() }));
  return { appended: result.appended.length, duplicates: result.duplicates.length };
};
