/** The in-memory tail of a ledger: whatever it serves is exactly what storage holds after that position. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRecentEvents } from '../../../src/adapters/ledger/recentEvents.js';
import type { RecordedEvent } from '../../../src/domain/events/envelope.js';
import { eventAt as event } from '../../support/recordedEvents.js';

describe('recent events', () => {
  it('serves only contiguous runs, equal to storage, whatever commits another process interleaves', () => {
    fc.assert(
      fc.property(
        // Commits in position order: each is ours (remembered) or another process's (not seen here).
        fc.array(fc.record({ size: fc.integer({ min: 1, max: 30 }), ours: fc.boolean() }), { maxLength: 25 }),
        fc.integer({ min: 5, max: 40 }),
        fc.array(fc.tuple(fc.nat(400), fc.integer({ min: 1, max: 50 })), { maxLength: 30 }),
        (commits, capacity, reads) => {
          const recent = createRecentEvents(capacity);
          const stored: RecordedEvent[] = [];
          for (const c of commits) {
            const events = Array.from({ length: c.size }, (_, i) => event(stored.length + i + 1));
            stored.push(...events);
            if (c.ours) recent.remember(events);
          }
          for (const [after, limit] of reads) {
            const served = recent.read(after, limit);
            if (served === undefined) continue;
            expect(served.length).toBeGreaterThan(0);
            expect(served).toEqual(stored.slice(after, after + served.length));
            expect(served.length).toBeLessThanOrEqual(limit);
          }
          const last = commits[commits.length - 1];
          // Right after our own commit (one that fits), a subscriber at the previous head is served from memory.
          if (last?.ours === true && last.size <= capacity) expect(recent.read(stored.length - last.size, 1_000)).toEqual(stored.slice(stored.length - last.size));
        },
      ),
    );
  });

  it('keeps at most twice its capacity and serves nothing after clear', () => {
    const recent = createRecentEvents(10);
    recent.remember(Array.from({ length: 25 }, (_, i) => event(i + 1)));
    expect(recent.read(0, 5)).toBeUndefined();
    expect(recent.read(20, 100)?.map((e) => e.position)).toEqual([21, 22, 23, 24, 25]);
    recent.clear();
    expect(recent.read(20, 100)).toBeUndefined();
  });
});
