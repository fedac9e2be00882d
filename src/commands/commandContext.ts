/** What every command handler needs from the outside world, and the envelope builder they share. */
import type { NewEvent } from '../domain/events/envelope.js';
import { currentSchemaVersion, type EventData, type EventType } from '../domain/events/catalogue.js';
import type { Clock, IdGenerator, Ledger } from '../domain/ports.js';

export interface CommandDeps {
  readonly ledger: Ledger;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** Who asked and on whose behalf: copied into every event's meta. */
export interface CommandOrigin {
  readonly actor: string;
  readonly correlationId: string;
  readonly causationId?: string | null;
  readonly source: string;
}

export const newEvent = <T extends EventType>(
  id: string,
  type: T,
  stream: string,
  data: EventData<T>,
  origin: CommandOrigin,
  dedupKey?: string,
): NewEvent<T, EventData<T>> => ({
  id,
  type,
  schemaVersion: currentSchemaVersion(type),
  stream,
  data,
  meta: { actor: origin.actor, correlationId: origin.correlationId, causationId: origin.causationId ?? null, source: origin.source },
  ...(dedupKey === undefined ? {} : { dedupKey }),
});
