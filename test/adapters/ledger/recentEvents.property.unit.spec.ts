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

  it('scans a run for types exactly as storage would answer, up to the limit or the run end', () => {
    const typed = (position: number): RecordedEvent => ({ ...event(position), type: position % 3 === 0 ? 'PredictionMade' : 'TradeObserved' });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 70 }), fc.integer({ min: 1, max: 30 }), (stored, runFrom, after, limit) => {
        const all = Array.from({ length: stored }, (_, i) => typed(i + 1));
        const recent = createRecentEvents(1_000);
        recent.remember(all.slice(Math.min(runFrom, stored - 1)));
        const scanned = recent.readTypes(after, new Set(['PredictionMade']), limit);
        const first = Math.min(runFrom, stored - 1) + 1;
        if (after + 1 < first || after >= stored) {
          expect(scanned).toBeUndefined();
          return;
        }
        const wanted = all.filter((e) => e.position > after && e.type === 'PredictionMade');
        expect(scanned!.events).toEqual(wanted.slice(0, limit));
        expect(scanned!.through).toBe(wanted.length >= limit ? wanted[limit - 1]!.position : stored);
      }),
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
