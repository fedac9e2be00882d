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

/** What every decision may use besides the command's own data and the state. */
export interface CommandMetadata {
  readonly origin: CommandOrigin;
  /** The clock's reading when the command arrived (epoch ms). */
  readonly now: number;
  /** New ids for the events and for the things a command creates (a rule, a subscription). */
  readonly nextId: () => string;
}

/** A command as its decider takes it: the request's data and the metadata above. */
export interface Command<Data> {
  readonly data: Data;
  readonly metadata: CommandMetadata;
}

/** The metadata of a command arriving now from `origin`. */
export const metadataFor = (deps: CommandDeps, origin: CommandOrigin): CommandMetadata => ({
  origin,
  now: deps.clock.now(),
  nextId: () => deps.ids.next(),
});

type Meta = NewEvent['meta'];
/**
 * One meta object per origin, shared by every event of a command: a batch of 1,000 trades has
 * one origin, and the ledger serialises a shared meta once instead of once per event.
 */
const metaByOrigin = new WeakMap<CommandOrigin, Meta>();
const metaOf = (origin: CommandOrigin): Meta => {
  let meta = metaByOrigin.get(origin);
  if (meta === undefined) {
    meta = { actor: origin.actor, correlationId: origin.correlationId, causationId: origin.causationId ?? null, source: origin.source };
    metaByOrigin.set(origin, meta);
  }
  return meta;
};

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
  meta: metaOf(origin),
  ...(dedupKey === undefined ? {} : { dedupKey }),
});
