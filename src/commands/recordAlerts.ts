/**
 * RecordAlerts: what the alert engine concluded goes into the ledger like any other fact. Each
 * raise and resolve carries a dedup key from its deterministic alert id, so an engine that
 * restarts and concludes the same again appends nothing new.
 */
import { statelessDecider } from '../domain/decider.js';
import type { AlertOutput } from '../domain/detectors/alertFold.js';
import { alertStream } from '../domain/streams.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { handleCommand } from './handleCommand.js';

export const ALERT_ENGINE_ACTOR = 'system:alert-engine';

export const alertDedupKey = (alertId: string, kind: 'raised' | 'resolved'): string => `alert/${alertId}/${kind}`;

/** What the engine concluded, each raise or resolve caused by the event that triggered it. */
export type RecordAlerts = Command<readonly AlertOutput[]>;

export const recordAlertsDecider = statelessDecider(({ data: outputs, metadata }: RecordAlerts) =>
  outputs.map((o) => {
    const from = { ...metadata.origin, causationId: o.causeEventId };
    return o.type === 'AlertRaised'
      ? newEvent(metadata.nextId(), 'AlertRaised', alertStream(o.data.symbol), o.data, from, alertDedupKey(o.data.alertId, 'raised'))
      : newEvent(metadata.nextId(), 'AlertResolved', alertStream(o.data.symbol), o.data, from, alertDedupKey(o.data.alertId, 'resolved'));
  }));

export const recordAlerts = async (deps: CommandDeps, outputs: readonly AlertOutput[], origin: CommandOrigin): Promise<{ appended: number; duplicates: number }> => {
  const { result } = await handleCommand(deps.ledger, { decider: recordAlertsDecider, command: { data: outputs, metadata: metadataFor(deps, origin) } });
  return { appended: result?.appended.length ?? 0, duplicates: result?.duplicates.length ?? 0 };
};
