import type { NewEvent } from '../../domain/events/envelope.js';

/**
 * What is wrong with a call's events, if anything, judged before the call joins a group commit.
 * The types keep these out of typed callers, but not out of JavaScript or JSON-fed ones, and a
 * malformed event found later, inside the group's decision, would fail the whole group and leave
 * this caller's promise unsettled: refused at the door instead, with the event and field named.
 * A few `typeof` checks per event: nothing next to sealing it.
 */
export const malformedAppend = (events: readonly NewEvent[]): TypeError | undefined => {
  if (!Array.isArray(events)) return new TypeError('append takes an array of events');
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as Partial<NewEvent> | null | undefined;
    const wrong =
      e === null || typeof e !== 'object' ? 'is not an object'
      : typeof e.id !== 'string' || e.id === '' ? 'has no id (a non-empty string)'
      : typeof e.type !== 'string' || e.type === '' ? 'has no type (a non-empty string)'
      : typeof e.stream !== 'string' || e.stream === '' ? 'has no stream (a non-empty string)'
      : !Number.isSafeInteger(e.schemaVersion) ? 'has no schemaVersion (an integer)'
      : e.meta === null || typeof e.meta !== 'object' ? 'has no meta (an object)'
      : e.dedupKey !== undefined && (typeof e.dedupKey !== 'string' || e.dedupKey === '') ? 'has a dedupKey that is not a non-empty string (leave it out for none)'
      : undefined;
    if (wrong !== undefined) return new TypeError(`cannot append event ${i} of ${events.length}: it ${wrong}; nothing of this call was appended`);
  }
  return undefined;
};
