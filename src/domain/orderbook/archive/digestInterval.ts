/**
 * Which digest interval a book row belongs to. Intervals are fixed windows of event time
 * ([start, start + intervalMs)); a book's rows arrive in order, so an interval is complete once a
 * row of a later one arrives, or once the clock is past its end by the grace allowed for a feed's
 * delay. A row that arrives for an interval already closed (a feed delayed past the grace) joins
 * the book's open interval instead: nothing is dropped, and the digest's event times say so.
 */

export const intervalStartOf = (eventTime: number, intervalMs: number): number => Math.floor(eventTime / intervalMs) * intervalMs;

/** The interval a row goes to, given the start of the book's last closed interval (undefined: none closed). */
export const intervalFor = (eventTime: number, intervalMs: number, lastClosedStart: number | undefined): number => {
  const own = intervalStartOf(eventTime, intervalMs);
  return lastClosedStart === undefined || own > lastClosedStart ? own : lastClosedStart + intervalMs;
};

/** Whether the interval starting at `start` may be closed at wall-clock `now`. */
export const intervalDue = (start: number, intervalMs: number, graceMs: number, now: number): boolean => start + intervalMs + graceMs <= now;
