/**
 * The Ledger contract: every ledger adapter (SQLite, PostgreSQL) runs exactly these tests,
 * through the port only, except the tamper cases, which change storage behind the ledger's back
 * the way an attacker with database access would (each adapter says how).
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { tlogProofText } from '../../src/read-models/tlogProof.js';
import { canonicalEventBytes } from '../../src/domain/events/canonical.js';
import type { NewEvent, RecordedEvent } from '../../src/domain/events/envelope.js';
import { isExpectedVersionConflictError, isNotFoundError } from '../../src/domain/errors.js';
import type { Clock, Ledger, LedgerCheckpoint } from '../../src/domain/ports.js';
import { leafHashOf, parseVerifierKey, verifyCheckpoint, verifyConsistency, verifyInclusion, verifyProofFile } from '../../src/proof-verifier/verifyProof.js';
import { signerFromSeed } from '../support/ledgerSigner.js';

/** Changes to stored rows that bypass the ledger and its append-only guards (beside overwriteStored). */
export interface LedgerTampering {
  /** Deletes every event after `position` (their tiles and checkpoints left as they were). */
  deleteEventsAfter(position: number): Promise<void>;
  /** Exchanges the stored data and leaf hashes of two events. */
  swapEvents(a: number, b: number): Promise<void>;
  /** Replaces the signed note of the checkpoint of `size` events. */
  replaceCheckpointNote(size: number, note: string): Promise<void>;
  /** Replaces a stored subtree root (a tile: level, index). */
  replaceTile(level: number, index: number, hash: Buffer): Promise<void>;
  /**
   * Rewrites every stored block in the format the ledger wrote before blocks were framed (same
   * events, same leaf prefixes): the storage of a ledger written by that code. Resolves with how
   * many framed blocks it rewrote.
   */
  storeInEarlierFormat(): Promise<number>;
}

export interface LedgerFixture {
  readonly ledger: Ledger;
  /** Closes the ledger and opens it again on the same storage (every ledger adapter is persistent). */
  readonly reopen: () => Promise<Ledger>;
  /**
   * Overwrites the stored text of an event's data or meta past the database's append-only guard,
   * as anyone with write access to the storage could: what verify exists to catch.
   */
  readonly overwriteStored: (position: number, field: 'data' | 'meta', text: string) => Promise<void>;
  readonly tamper: LedgerTampering;
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

    it('assigns gapless positions from 1, stream versions from 1, leaf hashes of the canonical bytes, and signs a checkpoint per group', async () => {
      const ledger = await open();
      await ledger.append([ev('a'), ev('b'), ev('a')]);
      await ledger.append([ev('a')]);
      const all = await collect(ledger);
      expect(all.map((e) => e.position)).toEqual([1, 2, 3, 4]);
      expect(all.map((e) => [e.stream, e.streamVersion])).toEqual([['a', 1], ['b', 1], ['a', 2], ['a', 3]]);
      for (const e of all) expect(e.leafHash).toBe(leafHashOf(Buffer.from(canonicalEventBytes(e))).toString('hex'));
      const key = parseVerifierKey(ledger.verifierKey());
      if (!key.ok) throw new Error(key.reason);
      const sizes: number[] = [];
      for (let size = 1; size <= 4; size++) {
        const c = await ledger.checkpointAt(size);
        if (c !== undefined && !sizes.includes(c.size)) sizes.push(c.size);
        const signed = verifyCheckpoint(c!.note, key.key);
        expect(signed.ok && signed.checkpoint.size === c!.size && signed.checkpoint.root.toString('hex') === c!.root).toBe(true);
      }
      expect(sizes).toEqual([3, 4]);
      const latest = await ledger.latestCheckpoint();
      expect(await ledger.head()).toEqual({ position: 4, root: latest!.root });
      expect(await ledger.checkpointAt(5)).toBeUndefined();
      expect(await ledger.verify()).toMatchObject({ ok: true, checked: 4, head: { position: 4, root: latest!.root }, checkpoint: latest });
    });

    it('an empty ledger has no checkpoint, and verifies', async () => {
      const ledger = await open();
      expect(await ledger.latestCheckpoint()).toBeUndefined();
      expect(await ledger.verify()).toMatchObject({ ok: true, checked: 0, checkpoint: undefined, verified: { size: 0 } });
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

    it('refuses a call with a malformed event at once, naming it, appends nothing of it, and goes on with the next', async () => {
      const ledger = await open();
      const malformed: unknown[] = [{ ...ev('s'), dedupKey: null }, { ...ev('s'), stream: '' }, { ...ev('s'), id: 7 }, null];
      for (const bad of malformed) {
        // Beside a good call in the same tick: they would share a group commit.
        const good = ledger.append([ev('s')]);
        await expect(ledger.append([ev('s'), bad as NewEvent])).rejects.toThrow(/cannot append event 1 of 2/);
        await good;
      }
      expect((await collect(ledger)).length).toBe(malformed.length);
      await ledger.append([ev('s', {}, 'k/1')]);
      expect((await ledger.head()).position).toBe(malformed.length + 1);
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
      expect(await ledger.findById(second.appended[0]!.id)).toEqual(second.appended[0]);
      expect(await ledger.findById('nope')).toBeUndefined();
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

    it('reads spanning many append groups return every event, again and again, from a reopened ledger (whatever it caches)', async () => {
      const ledger = await open();
      for (let g = 0; g < 100; g++) await ledger.append([ev(`s${g % 3}`, { g }), ev(`s${g % 3}`, { g })]);
      await ledger.close();
      const again = await reopen();
      for (let round = 0; round < 3; round++) {
        expect((await again.read(0, 1_000)).map((e) => e.position), `read, round ${round}`).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
        expect((await again.read(37, 100)).map((e) => e.position)).toEqual(Array.from({ length: 100 }, (_, i) => i + 38));
        expect((await again.readStream('s1')).map((e) => (e.data as { g: number }).g)).toEqual(Array.from({ length: 33 }, (_, i) => 1 + 3 * i).flatMap((g) => [g, g]));
        expect((await again.readTypes(0, ['TradeObserved'], 1_000)).length).toBe(200);
      }
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

    describe('proofs and tamper evidence', () => {
      /** 700 events in groups ending at 100, 256, 300, 513 and 700: tiles at levels 8 and 9, and small subtrees. */
      const GROUPS = [100, 156, 44, 213, 187];
      const filled = async (): Promise<{ ledger: Ledger; checkpoints: LedgerCheckpoint[]; events: RecordedEvent[] }> => {
        const ledger = await open();
        const checkpoints: LedgerCheckpoint[] = [];
        for (const n of GROUPS) {
          await ledger.append(Array.from({ length: n }, (_, i) => ev(`s${i % 3}`, { i })));
          checkpoints.push((await ledger.latestCheckpoint())!);
        }
        return { ledger, checkpoints, events: await collect(ledger) };
      };
      const verifierKeyOf = (ledger: Ledger) => {
        const k = parseVerifierKey(ledger.verifierKey());
        if (!k.ok) throw new Error(k.reason);
        return k.key;
      };

      it('inclusion proofs at every checkpoint verify with the offline verifier, as API answers and as tlog-proof files', async () => {
        const { ledger, checkpoints, events } = await filled();
        expect(checkpoints.map((c) => c.size)).toEqual([100, 256, 300, 513, 700]);
        const key = verifierKeyOf(ledger);
        for (const c of checkpoints) {
          for (const position of [1, 2, 99, 100, 128, 255, 256, 257, 299, 300, 511, 512, 513, 640, 700].filter((p) => p <= c.size)) {
            const proof = await ledger.inclusionProof(position, c.size);
            expect(proof).toMatchObject({ position, leafIndex: position - 1, checkpoint: c });
            expect(proof.eventBytes).toBe(canonicalEventBytes(events[position - 1]!));
            const leaf = leafHashOf(Buffer.from(proof.eventBytes));
            expect(verifyInclusion(proof.leafIndex, c.size, leaf, proof.path.map((h) => Buffer.from(h, 'hex')), Buffer.from(c.root, 'hex'))).toEqual({ ok: true });
            expect(verifyProofFile(tlogProofText(proof), ledger.verifierKey())).toMatchObject({ ok: true, index: position - 1 });
          }
        }
        // Without a tree size: the newest checkpoint; with one that is not a checkpoint: the next one up.
        expect((await ledger.inclusionProof(5)).checkpoint.size).toBe(700);
        expect((await ledger.inclusionProof(5, 101)).checkpoint.size).toBe(256);
        // A proof for one event does not prove another.
        const p = await ledger.inclusionProof(7, 300);
        const other = leafHashOf(Buffer.from(canonicalEventBytes(events[7]!)));
        expect(verifyInclusion(6, 300, other, p.path.map((h) => Buffer.from(h, 'hex')), Buffer.from(checkpoints[2]!.root, 'hex')).ok).toBe(false);
        expect(verifyCheckpoint(p.checkpoint.note, key).ok).toBe(true);
      });

      it('a ledger holding blocks written before blocks were framed, and framed ones appended since, reads, finds, dedups, proves and verifies every event', async () => {
        let ledger = await open();
        await ledger.append(Array.from({ length: 100 }, (_, i) => ev(`s${i % 3}`, { i }, `k/early/${i}`)));
        await ledger.append([ev('s0', { i: 100 }, 'k/odd')]);
        expect(await fixture!.tamper.storeInEarlierFormat()).toBe(2);
        ledger = await reopen();
        const early = (await ledger.latestCheckpoint())!;
        // Framed blocks after them, one of several frames (positions 102..251).
        await ledger.append(Array.from({ length: 150 }, (_, i) => ev(`s${i % 3}`, { i: 101 + i }, `k/late/${i}`)));
        const again = await ledger.append([ev('s1', {}, 'k/early/5'), ev('s1', {}, 'k/odd'), ev('s1', {}, 'k/late/5')]);
        expect({ appended: again.appended.length, duplicates: again.duplicates.length }).toEqual({ appended: 0, duplicates: 3 });
        const all = await collect(ledger);
        expect(all.map((e) => (e.data as { i: number }).i)).toEqual(Array.from({ length: 251 }, (_, i) => i));
        expect(all.map((e) => e.position)).toEqual(Array.from({ length: 251 }, (_, i) => i + 1));
        expect((await ledger.readStream('s0')).map((e) => e.streamVersion)).toEqual(Array.from({ length: 85 }, (_, i) => i + 1));
        expect((await ledger.readTypes(0, ['TradeObserved'], 1_000)).length).toBe(251);
        for (const p of [4, 101, 102, 201]) expect((await ledger.findById(all[p - 1]!.id))?.position).toBe(p);
        expect((await ledger.findByDedupKey('k/early/7'))?.position).toBe(8);
        expect((await ledger.findByDedupKey('k/late/7'))?.position).toBe(109);
        const latest = (await ledger.latestCheckpoint())!;
        for (const c of [early, latest]) {
          for (const position of [1, 64, 65, 100, 101, 102, 128, 129, 200, 251].filter((p) => p <= c.size)) {
            const proof = await ledger.inclusionProof(position, c.size);
            expect(proof.eventBytes).toBe(canonicalEventBytes(all[position - 1]!));
            expect(verifyInclusion(position - 1, c.size, leafHashOf(Buffer.from(proof.eventBytes)), proof.path.map((h) => Buffer.from(h, 'hex')), Buffer.from(c.root, 'hex'))).toEqual({ ok: true });
          }
        }
        const consistency = await ledger.consistencyProof(early.size, latest.size);
        expect(verifyConsistency(early.size, latest.size, consistency.path.map((h) => Buffer.from(h, 'hex')), Buffer.from(early.root, 'hex'), Buffer.from(latest.root, 'hex'))).toEqual({ ok: true });
        expect(await ledger.verify()).toMatchObject({ ok: true, checked: 251 });
        // An event altered in a block of either format is named.
        await fixture!.overwriteStored(50, 'data', '{"i":-1}');
        expect(await ledger.verify()).toMatchObject({ ok: false, position: 50 });
        await fixture!.overwriteStored(50, 'data', '{"i":49}');
        await fixture!.overwriteStored(150, 'data', '{"i":-1}');
        expect(await ledger.verify()).toMatchObject({ ok: false, position: 150 });
      });

      it('consistency proofs between every two checkpoints verify with the offline verifier', async () => {
        const { ledger, checkpoints } = await filled();
        for (const a of checkpoints) {
          for (const b of checkpoints.filter((c) => c.size >= a.size)) {
            const proof = await ledger.consistencyProof(a.size, b.size);
            expect(proof.from).toEqual(a);
            expect(proof.to).toEqual(b);
            const verdict = verifyConsistency(a.size, b.size, proof.path.map((h) => Buffer.from(h, 'hex')), Buffer.from(a.root, 'hex'), Buffer.from(b.root, 'hex'));
            expect(verdict).toEqual({ ok: true });
          }
        }
      });

      it('answers NotFound for what is not there, and refuses malformed sizes', async () => {
        const { ledger } = await filled();
        for (const call of [() => ledger.inclusionProof(0), () => ledger.inclusionProof(701), () => ledger.inclusionProof(5, 701), () => ledger.consistencyProof(100, 200), () => ledger.consistencyProof(0, 100)]) {
          await expect(call()).rejects.toSatisfy(isNotFoundError);
        }
        await expect(ledger.consistencyProof(300, 100)).rejects.toThrow(/smaller tree to a larger one/);
        await expect(ledger.inclusionProof(1.5)).rejects.toThrow(/whole number/);
      });

      it('continues the same tree after a reopen, and verifies incrementally from an earlier run', async () => {
        const { ledger, checkpoints } = await filled();
        const first = await ledger.verify();
        if (!first.ok) throw new Error(first.reason);
        await ledger.close();
        const again = await reopen();
        await again.append([ev('s'), ev('t')]);
        const last = (await again.latestCheckpoint())!;
        expect(last.size).toBe(702);
        const proof = await again.consistencyProof(checkpoints[4]!.size, 702);
        expect(verifyConsistency(700, 702, proof.path.map((h) => Buffer.from(h, 'hex')), Buffer.from(checkpoints[4]!.root, 'hex'), Buffer.from(last.root, 'hex'))).toEqual({ ok: true });
        const next = await again.verify({ from: first.verified });
        expect(next).toMatchObject({ ok: true, checked: 2, checkpoint: last, head: { position: 702, root: last.root } });
      });

      const tamperedVerify = async (change: (t: LedgerTampering, checkpoints: LedgerCheckpoint[]) => Promise<void>): Promise<unknown> => {
        const { ledger, checkpoints } = await filled();
        expect((await ledger.verify()).ok).toBe(true);
        await change(fixture!.tamper, checkpoints);
        return ledger.verify();
      };

      it('verify names an altered event', async () => {
        expect(await tamperedVerify(() => fixture!.overwriteStored(417, 'data', '{"i":9999}'))).toMatchObject({ ok: false, position: 417, checked: 416, reason: expect.stringMatching(/leaf hash/) });
      });

      it('verify names the first missing event of a deleted tail', async () => {
        expect(await tamperedVerify((t) => t.deleteEventsAfter(650))).toMatchObject({ ok: false, position: 651 });
      });

      it('verify names the first of two swapped events', async () => {
        expect(await tamperedVerify((t) => t.swapEvents(20, 600))).toMatchObject({ ok: false, position: 20, reason: expect.stringMatching(/leaf hash/) });
      });

      it('verify names an altered group root (the stored root of 16 leaves a proof is built from)', async () => {
        // Group 10 holds leaves 160..175, positions 161..176.
        expect(await tamperedVerify((t) => t.replaceTile(4, 10, Buffer.alloc(32, 9)))).toMatchObject({ ok: false, position: 161, reason: expect.stringMatching(/events 161\.\.176 .*level 4, index 10/) });
      });

      it('verify names a forged checkpoint', async () => {
        const forged = async (t: LedgerTampering, checkpoints: LedgerCheckpoint[]) => {
          const note = checkpoints[2]!.note.split('\n');
          note[2] = Buffer.alloc(32, 7).toString('base64'); // another root, under the old signature
          await t.replaceCheckpointNote(300, note.join('\n'));
        };
        expect(await tamperedVerify(forged)).toMatchObject({ ok: false, position: 300, reason: expect.stringMatching(/checkpoint of 300 events: .*signature/) });
      });

      it('verify names a checkpoint signed by another key', async () => {
        const otherKey = async (t: LedgerTampering, checkpoints: LedgerCheckpoint[]) => {
          const c = checkpoints[1]!;
          const origin = c.note.split('\n')[0]!;
          const note = signerFromSeed(origin, 'somebody else').sign({ size: c.size, root: Buffer.from(c.root, 'hex'), time: c.time });
          await t.replaceCheckpointNote(c.size, note);
        };
        expect(await tamperedVerify(otherKey)).toMatchObject({ ok: false, position: 256, reason: expect.stringMatching(/checkpoint of 256 events: .*no signature by/) });
      });
    });
  });
}
