import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_QUERY_TIME, MIN_QUERY_TIME, readInstant } from '../../src/domain/instant.js';

const inRange = fc.integer({ min: MIN_QUERY_TIME, max: MAX_QUERY_TIME });

describe('readInstant', () => {
  it('reads every instant of the range back, as epoch milliseconds and as ISO-8601', () => {
    fc.assert(
      fc.property(inRange, (t) => {
        expect(readInstant(String(t), 'from')).toEqual({ ok: true, value: t });
        expect(readInstant(new Date(t).toISOString(), 'from')).toEqual({ ok: true, value: t });
      }),
    );
  });

  it('reads a date as its midnight UTC, and an offset as the zone it names', () => {
    expect(readInstant('2024-01-01', 'asOf')).toEqual({ ok: true, value: Date.UTC(2024, 0, 1) });
    expect(readInstant('2024-01-01T02:00+02:00', 'asOf')).toEqual({ ok: true, value: Date.UTC(2024, 0, 1) });
  });

  it('refuses instants after the range, naming it', () => {
    fc.assert(
      fc.property(fc.integer({ min: MAX_QUERY_TIME + 1, max: Number.MAX_SAFE_INTEGER }), (t) => {
        const r = readInstant(String(t), 'to');
        expect(r.ok).toBe(false);
        expect(!r.ok && r.reason).toMatch(/^to: .* (is outside the valid range|expected epoch milliseconds).*1970-01-01T00:00:00\.000Z \(0\) to 2100-01-01T00:00:00\.000Z \(4102444800000\)/);
      }),
    );
  });

  it('refuses what the platform date parser would misread, with the field and a short echo', () => {
    for (const raw of ['-1', '99999999999999999999999', '1e12', 'Infinity', '2024-01-01T12:00:00', '2024-13-01', 'yesterday', ' 1', '0x10']) {
      const r = readInstant(raw, 'from');
      expect(r.ok, raw).toBe(false);
      expect(!r.ok && r.reason, raw).toMatch(/^from: /);
    }
    const long = readInstant('9'.repeat(10_000), 'from');
    expect(!long.ok && long.reason.length).toBeLessThan(300);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(typeof readInstant(s, 'x').ok).toBe('boolean');
      }),
    );
  });
});
