/**
 * Replay pacing: at speed N, an item of event time t is due N× faster than it happened, counted
 * from the first item. When event time jumps back by more than a second (the next file starts
 * earlier, e.g. ETH after BTC for the same day) the pace restarts from that item rather than
 * replaying everything after it at once.
 */
import type { SourceItem } from '../../../domain/ports.js';

const REBASE_AFTER_BACKWARD_MS = 1_000;

/** Returns, for an item's event time, how many ms to wait before it is due (≤ 0: due now). */
export const createPacer = (speed: number, now: () => number = () => performance.now()): ((eventTime: number) => number) => {
  let originEvent = 0;
  let originWall = 0;
  let newest = -Infinity;
  return (eventTime) => {
    const wall = now();
    if (newest === -Infinity || eventTime < newest - REBASE_AFTER_BACKWARD_MS) {
      originEvent = eventTime;
      originWall = wall;
      newest = eventTime;
    }
    if (eventTime > newest) newest = eventTime;
    return originWall + (eventTime - originEvent) / speed - wall;
  };
};

/** The event time an item is paced by: a trade's, a candle's open; none for a rejection (due at once). */
export const pacedTimeOf = (item: SourceItem): number | undefined => {
  if (item.kind === 'trade') return (item.data as { eventTime: number }).eventTime;
  if (item.kind === 'candle') return (item.data as { openTime: number }).openTime;
  return undefined;
};
