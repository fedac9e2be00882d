/**
 * The Ledger contract: every ledger adapter (SQLite for the embedded profile, PostgreSQL for the
 * cluster) runs exactly these tests, through the port only.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewEvent, RecordedEvent } from '../../src/domain/events/envelope.js';
import { GENESIS_HASH } from '../../src/domain/events/envelope.js';
import { isExpectedVersionConflictError } from '../../src/domain/errors.js';
import type { Clock, Ledger } from '../../src/domain/ports.js';

export interface LedgerFixture {
  readonly ledger: Ledger;
  /** Closes the ledger and opens it again on the same storage (every ledger adapter is persistent). */
  readonly reopen: () => Promise<Ledger>;
  /**
   * Overwrites the stored text of an event's data or meta past the database's append-only guard,
   * as anyone with write access to the storage could: what verify exists to catch.
   */
  readonly overwriteStored: (position: number, field: 'data' | 'meta', text: string) => Promise<void>;
  readonly cleanup: () => Promise<void>;
}

let counter = 0;
const ev = (stream: string, data: unknown = {}, dedupKey?: string): NewEvent => ({
  id: `evt-${process.pid}-${Date.now()}-${++counter}`,
  type: 'TradeObserved',
  schemaVersion: 1,
  stream,
  data,
  meta: { actor: 'contract', correlationId: 'c', causationId: null, source: 'test' },
  ...(dedupKey === undefined ? {} : { dedupKey }),
});

const steppingClock = (): Clock & { set(t: number): void } => {
  let t = 1_700_000_000_000;
  return { now: () => t, set: (v: number) => (t = v) };
};

const collect = async (ledger: Ledger, after = 0): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  for (;;) {
    const page = await ledger.read(after, 500);
    if (page.length === 0) return out;
    out.push(...page);
    after = page[page.length - 1]!.position;
  }
};

export function ledgerContract(name: string, make: (clock: Clock) => Promise<LedgerFixture>): void {
  describe(`Ledger contract: ${name}`, () => {
    let fixture: LedgerFixture | undefined;
    const open = async (clock: Clock = steppingClock()): Promise<Ledger> => {
      fixture = await make(clock);
      return fixture.ledger;
    };
    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });
    /** The open ledger closed and opened again on the same storage. */
    const reopen = (): Promise<Ledger> => {
      if (fixture === undefined) throw new Error('reopen before open');
      return fixture.reopen();
    };

    it('assigns gapless positions from 1, stream versions from 1, and links the hash chain', async () => {
      const ledger = await open();
      await ledger.append([ev('a'), ev('b'), ev('a')]);
      await ledger.append([ev('a')]);
      const all = await collect(ledger);
      expect(all.map((e) => e.position)).toEqual([1, 2, 3, 4]);
      expect(all.map((e) => [e.stream, e.streamVersion])).toEqual([['a', 1], ['b', 1], ['a', 2], ['a', 3]]);
      expect(all[0]!.prevHash).toBe(GENESIS_HASH);
      for (let i = 1; i < all.length; i++) expect(all[i]!.prevHash).toBe(all[i - 1]!.hash);
      expect(await ledger.head()).toEqual({ position: 4, hash: all[3]!.hash });
      expect(await ledger.verify()).toMatchObject({ ok: true, checked: 4 });
    });

    it('returns what it appended with data, meta and recordedAt', async () => {
      const clock = steppingClock();
      const ledger = await open(clock);
      const r = await ledger.append([ev('s', { x: 1, nested: { y: 'z' } }, 'k1')]);
      expect(r.appended[0]).toMatchObject({ position: 1, data: { x: 1, nested: { y: 'z' } }, dedupKey: 'k1', meta: { actor: 'contract', recordedAt: clock.now() } });
      const [read] = await ledger.read(0, 10);
      expect(read).toEqual(r.appended[0]);
    });

    it('keeps recordedAt non-decreasing even when the clock steps back', async () => {
      const clock = steppingClock();
      const ledger = await open(clock);
      await ledger.append([ev('s')]);
      clock.set(clock.now() - 10_000);
      await ledger.append([ev('s')]);
      const all = await collect(ledger);
      expect(all[1]!.meta.recordedAt).toBeGreaterThanOrEqual(all[0]!.meta.recordedAt);
    });

    it('enforces expected versions with a typed error and appends nothing of that call', async () => {
      const ledger = await open();
      await ledger.append([ev('s'), ev('s')], { expected: { s: 'no_stream' } });
      for (const expected of ['no_stream' as const, 1, 3]) {
        try {
          await ledger.append([ev('s'), ev('t')], { expected: { s: expected } });
          expect.unreachable();
        } catch (e) {
          expect(isExpectedVersionConflictError(e)).toBe(true);
        }
      }
      expect((await ledger.head()).position).toBe(2);
      await ledger.append([ev('s')], { expected: { s: 2 } });
      expect((await ledger.readStream('s')).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    });

    it('a conflict in one concurrent call does not fail the others', async () => {
      const ledger = await open();
      await ledger.append([ev('s')]);
      const results = await Promise.allSettled([
        ledger.append([ev('x')]),
        ledger.append([ev('s')], { expected: { s: 5 } }),
        ledger.append([ev('y')]),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await collect(ledger)).map((e) => e.stream)).toEqual(['s', 'x', 'y']);
      expect((await ledger.verify()).ok).toBe(true);
    });

    it('skips events whose dedup key it holds, within a call and across calls', async () => {
      const ledger = await open();
      const first = await ledger.append([ev('s', {}, 'k1'), ev('s', {}, 'k1'), ev('s', {}, 'k2')]);
      expect(first.appended.map((e) => e.dedupKey)).toEqual(['k1', 'k2']);
      expect(first.duplicates).toHaveLength(1);
      const second = await ledger.append([ev('s', {}, 'k2'), ev('s', {}, 'k3'), ev('s')]);
      expect(second.appended.map((e) => e.dedupKey)).toEqual(['k3', null]);
      expect(second.duplicates.map((e) => e.dedupKey)).toEqual(['k2']);
      expect((await ledger.findByDedupKey('k3'))?.position).toBe(3);
      expect(await ledger.findByDedupKey('nope')).toBeUndefined();
      expect((await ledger.verify()).ok).toBe(true);
    });

    it('many concurrent appends all land exactly once, in one consistent order', async () => {
      const ledger = await open();
      await Promise.all(Array.from({ length: 50 }, (_, i) => ledger.append([ev(`s${i % 5}`, { i }), ev(`s${i % 5}`, { i })])));
      const all = await collect(ledger);
      expect(all).toHaveLength(100);
      expect(new Set(all.map((e) => e.id)).size).toBe(100);
      for (let s = 0; s < 5; s++) {
        expect((await ledger.readStream(`s${s}`)).map((e) => e.streamVersion)).toEqual(Array.from({ length: 20 }, (_, k) => k + 1));
      }
      expect((await ledger.verify()).ok).toBe(true);
    });

    it('reads streams up to a position, finds streams by prefix and suffix, and maps recorded time to position', async () => {
      const clock = steppingClock();
      const ledger = await open(clock);
      const t0 = clock.now();
      await ledger.append([ev('trades/binance/BTC-USDT/2024-01-01'), ev('trades/coinbase/BTC-USDT/2024-01-01')]);
      clock.set(t0 + 1000);
      await ledger.append([ev('trades/binance/BTC-USDT/2024-01-01'), ev('trades/binance/ETH-USDT/2024-01-01'), ev('trades/binance/BTC-USDT/2024-01-02')]);
      expect(await ledger.streamsMatching('trades/', '/BTC-USDT/2024-01-01')).toEqual(['trades/binance/BTC-USDT/2024-01-01', 'trades/coinbase/BTC-USDT/2024-01-01']);
      expect(await ledger.streamsMatching('trades/', '/2024-01-02')).toEqual(['trades/binance/BTC-USDT/2024-01-02']);
      expect((await ledger.readStream('trades/binance/BTC-USDT/2024-01-01', { throughPosition: 2 })).map((e) => e.position)).toEqual([1]);
      expect((await ledger.readStream('trades/binance/BTC-USDT/2024-01-01')).map((e) => e.position)).toEqual([1, 3]);
      expect(await ledger.readStream('missing')).toEqual([]);
      expect(await ledger.positionRecordedBy(t0 - 1)).toBe(0);
      expect(await ledger.positionRecordedBy(t0)).toBe(2);
      expect(await ledger.positionRecordedBy(t0 + 999)).toBe(2);
      expect(await ledger.positionRecordedBy(t0 + 5000)).toBe(5);
    });

    it('reads the events of some types after a position, in order, at most a limit', async () => {
      const ledger = await open(steppingClock());
      const typed = (type: string, stream: string): NewEvent => ({ ...ev(stream), type });
      await ledger.append([typed('AlertRuleRegistered', 'alert-rules/a'), ev('t/1'), ev('t/2'), typed('AlertRuleRetired', 'alert-rules/a')]);
      await ledger.append([ev('t/3'), typed('AlertRuleRegistered', 'alert-rules/b'), typed('AlertRaised', 'alerts/x')]);
      const rules = ['AlertRuleRegistered', 'AlertRuleRetired'];
      const positions = async (after: number, types: readonly string[], limit: number) => (await ledger.readTypes(after, types, limit)).map((e) => [e.position, e.type]);
      expect(await positions(0, rules, 10)).toEqual([[1, 'AlertRuleRegistered'], [4, 'AlertRuleRetired'], [6, 'AlertRuleRegistered']]);
      expect(await positions(1, rules, 10)).toEqual([[4, 'AlertRuleRetired'], [6, 'AlertRuleRegistered']]);
      expect(await positions(0, rules, 2)).toEqual([[1, 'AlertRuleRegistered'], [4, 'AlertRuleRetired']]);
      expect(await positions(6, rules, 10)).toEqual([]);
      expect(await positions(0, ['AlertRaised'], 10)).toEqual([[7, 'AlertRaised']]);
      expect(await positions(0, [], 10)).toEqual([]);
      const [first] = await ledger.readTypes(0, rules, 1);
      expect(first).toEqual((await ledger.read(0, 1))[0]);
    });

    it('subscription catches up, then delivers live commits, in order, to a slow handler, never twice', async () => {
      const ledger = await open();
      await ledger.append(Array.from({ length: 25 }, () => ev('s')));
      const seen: number[] = [];
      const sub = ledger.subscribe(10, async (events) => {
        await new Promise((r) => setTimeout(r, 2));
        seen.push(...events.map((e) => e.position));
      }, { batchSize: 7 });
      await sub.caughtUp;
      expect(seen.at(-1)).toBe(25);
      for (let i = 0; i < 10; i++) await ledger.append([ev('s'), ev('t')]);
      const until = Date.now() + 5000;
      while (seen.length < 35 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      await sub.stop();
      expect(seen).toEqual(Array.from({ length: 35 }, (_, k) => k + 11));
    });

    it('a handler that throws ends the subscription with that error', async () => {
      const ledger = await open();
      await ledger.append([ev('s')]);
      const sub = ledger.subscribe(0, () => {
        throw new Error('boom');
      });
      await expect(sub.done).rejects.toThrow('boom');
    });

    it.each(['data', 'meta'] as const)('verify names a stored event whose %s no longer parses, and why, instead of throwing', async (field) => {
      const ledger = await open();
      await ledger.append(Array.from({ length: 12 }, (_, i) => ev('s', { i })));
      await fixture!.overwriteStored(7, field, '{"i":7');
      const result = await ledger.verify();
      expect(result).toMatchObject({ ok: false, position: 7, checked: 6 });
      expect(result.ok === false && result.reason).toMatch(new RegExp(`^stored ${field} is not JSON \\(.+\\): it was altered outside the ledger$`));
    });

    it('keeps everything across close and reopen, and continues chain and versions', async () => {
      const ledger = await open();
      await ledger.append([ev('s', {}, 'k'), ev('s')]);
      await ledger.close();
      const again = await reopen();
      const r = await again.append([ev('s', {}, 'k'), ev('s')]);
      expect(r.duplicates).toHaveLength(1);
      expect(r.appended[0]).toMatchObject({ position: 3, streamVersion: 3 });
      expect((await again.verify()).ok).toBe(true);
    });

    it('reads right after appending give exactly what storage returns after a reopen', async () => {
      const ledger = await open();
      const data = fc.sample(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }), { numRuns: 40, seed: 11 });
      await ledger.append(data.slice(0, 25).map((d) => ev('x', d)));
      const sub: RecordedEvent[] = [];
      const s = ledger.subscribe(0, (events) => void sub.push(...events));
      await s.caughtUp;
      await ledger.append(data.slice(25).map((d) => ev('y', d)));
      const fresh = await collect(ledger);
      while (sub.length < fresh.length) await new Promise((r) => setTimeout(r, 5));
      await s.stop();
      await ledger.close();
      const again = await reopen();
      const stored = await collect(again);
      expect(stored).toHaveLength(40);
      // JSON round trip: what storage holds is JSON, so -0 and key order do not count as different.
      const asJson = (events: RecordedEvent[]) => JSON.parse(JSON.stringify(events)) as unknown;
      expect(asJson(fresh)).toEqual(asJson(stored));
      expect(asJson(sub)).toEqual(asJson(stored));
    });

    it('property: arbitrary append sequences read back as exactly the accepted events, and verify', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(fc.record({ stream: fc.constantFrom('a', 'b', 'c'), key: fc.option(fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5'), { nil: undefined }) }), { maxLength: 6 }), { maxLength: 6 }),
          async (batches) => {
            const f = await make(steppingClock());
            try {
              const accepted: string[] = [];
              const keys = new Set<string>();
              for (const batch of batches) {
                const events = batch.map((b) => ev(b.stream, {}, b.key));
                const r = await f.ledger.append(events);
                for (const e of events) {
                  if (e.dedupKey !== undefined && keys.has(e.dedupKey)) continue;
                  if (e.dedupKey !== undefined) keys.add(e.dedupKey);
                  accepted.push(e.id);
                }
                expect(r.appended.length + r.duplicates.length).toBe(events.length);
              }
              expect((await collect(f.ledger)).map((e) => e.id)).toEqual(accepted);
              expect((await f.ledger.verify()).ok).toBe(true);
            } finally {
              await f.cleanup();
            }
          },
        ),
        { numRuns: 25 },
      );
    });
  });
}
