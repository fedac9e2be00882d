/** Pages kept for concurrent followers: whatever the cache serves equals what storage returns now. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPageCache } from '../../../src/adapters/ledger/pageCache.js';
import type { RecordedEvent } from '../../../src/domain/events/envelope.js';
import { eventAt as event } from '../../support/recordedEvents.js';

describe('page cache', () => {
  it('serves what storage holds, while storage grows between reads, and spares repeated full-page loads', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        // Steps: append n events, or read a page (after, limit).
        fc.array(fc.oneof(fc.record({ append: fc.integer({ min: 1, max: 40 }) }), fc.record({ after: fc.nat(200), limit: fc.integer({ min: 1, max: 30 }) })), { maxLength: 60 }),
        (capacity, steps) => {
          const cache = createPageCache(capacity);
          const stored: RecordedEvent[] = [];
          let loads = 0;
          const load = (after: number, limit: number): RecordedEvent[] => {
            loads++;
            return stored.slice(after, after + limit);
          };
          const fullPagesSeen = new Set<string>();
          for (const s of steps) {
            if ('append' in s) {
              for (let i = 0; i < s.append; i++) stored.push(event(stored.length + 1));
              continue;
            }
            const before = loads;
            const served = cache.read(s.after, s.limit, load);
            expect(served).toEqual(stored.slice(s.after, s.after + s.limit));
            const key = `${s.after}/${s.limit}`;
            // The page just read (or read before) is full and among the newest `capacity` pages: no load.
            if (fullPagesSeen.has(key) && capacity >= fullPagesSeen.size) expect(loads).toBe(before);
            if (served.length === s.limit) fullPagesSeen.add(key);
          }
        },
      ),
    );
  });

  it('hands each caller its own array, so one follower cannot disturb another', () => {
    const stored = [event(1), event(2)];
    const cache = createPageCache(2);
    const first = cache.read(0, 2, (a, l) => stored.slice(a, a + l));
    first.pop();
    expect(cache.read(0, 2, () => { throw new Error('should come from the cache'); })).toHaveLength(2);
  });
});
