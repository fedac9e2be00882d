/**
 * The newest events a ledger process has committed, kept in memory for subscribers that follow
 * the tail (live projection, relay, alert engine): serving them from here spares each of them a
 * query and a JSON parse per event. Positions are gapless, so while the kept run is contiguous an
 * event's index is its position minus the first one's; a run that would break contiguity (another
 * process committed in between) starts a new run instead.
 */
import type { RecordedEvent } from '../../domain/events/envelope.js';

export interface RecentEvents {
  /** Keeps events just committed, in position order. */
  remember(events: readonly RecordedEvent[]): void;
  /** Events with position > `after`, at most `limit`, when the kept run holds position after + 1; else undefined. */
  read(after: number, limit: number): RecordedEvent[] | undefined;
  /**
   * Events with position > `after` of the given types, at most `limit`, scanned in memory (the
   * registry's refresh follows four types among every event) and `through`, the last position
   * scanned: the run's end unless `limit` was reached first. Undefined unless the kept run holds after + 1.
   */
  readTypes(after: number, types: ReadonlySet<string>, limit: number): { events: RecordedEvent[]; through: number } | undefined;
  /** Forgets everything (after a failure, when what is stored is no longer what was kept). */
  clear(): void;
}

export const createRecentEvents = (capacity: number): RecentEvents => {
  let run: RecordedEvent[] = [];
  let first = 0;
  return {
    remember(events) {
      const head = events[0];
      if (head === undefined) return;
      if (run.length === 0 || head.position !== first + run.length) {
        run = [];
        first = head.position;
      }
      for (const e of events) run.push(e);
      if (run.length > 2 * capacity) {
        const drop = run.length - capacity;
        run = run.slice(drop);
        first += drop;
      }
    },
    read(after, limit) {
      const from = after + 1 - first;
      if (run.length === 0 || from < 0 || from >= run.length) return undefined;
      return run.slice(from, from + limit);
    },
    readTypes(after, types, limit) {
      const from = after + 1 - first;
      if (run.length === 0 || from < 0 || from >= run.length) return undefined;
      const events: RecordedEvent[] = [];
      for (let i = from; i < run.length; i++) {
        const e = run[i]!;
        if (!types.has(e.type)) continue;
        events.push(e);
        if (events.length === limit) return { events, through: e.position };
      }
      return { events, through: first + run.length - 1 };
    },
    clear() {
      run = [];
    },
  };
};
