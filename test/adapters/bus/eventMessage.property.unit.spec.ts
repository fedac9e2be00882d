/** The bus codec: every recorded event round-trips; garbage is refused with a reason, never a throw. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent } from '../../../src/adapters/bus/eventMessage.js';
import type { RecordedEvent } from '../../../src/domain/events/envelope.js';
import { recentIds } from '../../../src/adapters/bus/recentIds.js';

const hash = fc.array(fc.constantFrom(...'0123456789abcdef'), { minLength: 64, maxLength: 64 }).map((a) => a.join(''));

const eventArb: fc.Arbitrary<RecordedEvent> = fc.record({
  position: fc.nat(),
  id: fc.uuid(),
  type: fc.string({ minLength: 1 }),
  schemaVersion: fc.integer({ min: 1, max: 5 }),
  stream: fc.string({ minLength: 1 }),
  streamVersion: fc.nat(),
  data: fc.jsonValue(),
  meta: fc.record({ recordedAt: fc.nat(), actor: fc.string(), correlationId: fc.string(), causationId: fc.option(fc.string(), { nil: null }), source: fc.string() }),
  dedupKey: fc.option(fc.string(), { nil: null }),
  leafHash: hash,
});

describe('bus event messages', () => {
  it('round-trip every recorded event', () => {
    fc.assert(fc.property(eventArb, (e) => {
      expect(decodeEvent(encodeEvent(e))).toEqual({ ok: true, event: JSON.parse(JSON.stringify(e)) });
    }));
  });

  it('refuse anything else with a reason', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v))), (raw) => {
        const d = decodeEvent(raw);
        if (!d.ok) expect(d.reason.length).toBeGreaterThan(0);
      }),
    );
    expect(decodeEvent('{"id":1}')).toEqual({ ok: false, reason: 'field id: expected a string' });
    expect(decodeEvent('nope').ok).toBe(false);
  });
});

describe('recent event ids', () => {
  it('say first-seen exactly once per id within the window, and forget the oldest beyond it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }).map(String), { maxLength: 200 }), (ids) => {
        const r = recentIds(1_000);
        const seen = new Set<string>();
        for (const id of ids) {
          expect(r.firstSeen(id)).toBe(!seen.has(id));
          seen.add(id);
        }
      }),
    );
    const small = recentIds(2);
    expect([small.firstSeen('a'), small.firstSeen('b'), small.firstSeen('c'), small.firstSeen('a'), small.firstSeen('c')]).toEqual([true, true, true, true, false]);
  });
});
