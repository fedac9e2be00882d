/**
 * The rate limiter's batch reservations (tokenReserver.ts) against a model: several processes,
 * each with its own reserver, share one budget per key and second (a plain counter here, its
 * answers delayed and interleaved by fast-check's scheduler as a shared server's would be).
 * Whatever the interleaving: no second accepts more than the limit across the processes, every
 * request is answered, one process alone accepts exactly min(offered, limit), and a process
 * refuses only once what is left unspent elsewhere is at most a batch per other process.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLocalSecondBudgets, type Reservation, type SecondBudgets } from '../../../src/adapters/http/access/secondBudgets.js';
import { batchSize, createTokenReserver } from '../../../src/adapters/http/access/tokenReserver.js';

/** The shared counters' model: what each key has handed out, and what was asked of it. */
const modelBudgets = (): { budgets: (schedule: <T>(p: Promise<T>) => Promise<T>) => SecondBudgets; asked: () => number } => {
  const used = new Map<string, number>();
  let asked = 0;
  return {
    budgets: (schedule) => ({
      reserve: (key, wanted, limit) => {
        asked++;
        // The grant happens when the "server" gets to it, interleaved with the other processes' requests.
        return schedule(Promise.resolve()).then((): Reservation => {
          const before = used.get(key) ?? 0;
          const granted = Math.min(wanted, Math.max(0, limit - before));
          used.set(key, before + granted);
          return { granted, remaining: limit - before - granted };
        });
      },
    }),
    asked: () => asked,
  };
};

const requestsArb = (processes: number) =>
  fc.array(fc.record({ process: fc.nat(processes - 1), second: fc.nat(2), key: fc.constantFrom('a', 'b') }), { minLength: 1, maxLength: 300 });

describe('token reservations against a shared budget (model)', () => {
  it('batches: at least 1, at most a twentieth of the limit and an eighth of what is left', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }), (limit, remaining) => {
        const b = batchSize(limit, remaining);
        expect(b).toBeGreaterThanOrEqual(1);
        expect(b).toBeLessThanOrEqual(Math.max(1, Math.floor(limit / 20)));
        expect(b).toBeLessThanOrEqual(Math.max(1, Math.ceil(remaining / 8)));
      }),
    );
  });

  it('several processes never accept more than the limit in a second between them, and refuse only with little held back elsewhere', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 120 }), requestsArb(3), async (s, processCount, limit, requests) => {
        const model = modelBudgets();
        let now = 0;
        const reservers = Array.from({ length: processCount }, () => createTokenReserver(model.budgets((p) => s.schedule(p)), () => now));
        for (const second of [0, 1, 2]) {
          now = second * 1_000 + 1;
          const inSecond = requests.filter((r) => r.second === second);
          const answers = inSecond.map((r) => Promise.resolve(reservers[r.process % processCount]!.take(`key:${r.key}:${second}`, limit)));
          const accepted = await s.waitFor(Promise.all(answers));
          for (const key of ['a', 'b']) {
            const mine = inSecond.map((r, i) => ({ ...r, ok: accepted[i]! })).filter((r) => r.key === key);
            const n = mine.filter((r) => r.ok).length;
            expect(n).toBeLessThanOrEqual(limit);
            const offered = mine.length;
            if (processCount === 1) expect(n).toBe(Math.min(offered, limit));
            // A refusal means the budget was all granted; only other processes' last batches can be unspent.
            else if (mine.some((r) => !r.ok)) expect(n).toBeGreaterThanOrEqual(limit - (processCount - 1) * batchSize(limit, limit));
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('asks the shared budget about once per batch, not once per request', async () => {
    const model = modelBudgets();
    const reserver = createTokenReserver(model.budgets((p) => p), () => 1);
    const answers = await Promise.all(Array.from({ length: 900 }, () => reserver.take('key:a:0', 1_000)));
    expect(answers.every(Boolean)).toBe(true);
    // 900 requests in batches of 50 (a twentieth of 1,000; an eighth of what is left stays above it until 400 remain).
    expect(model.asked()).toBeLessThanOrEqual(900 / 50 + 8);
    expect(reserver.used('key:a:0', 1_000)).toBe(900);
  });

  it('over this process\'s own counters (the embedded profile) every answer is immediate, exactly the limit per second', () => {
    let now = 0;
    const reserver = createTokenReserver(createLocalSecondBudgets(() => now), () => now);
    const answers = Array.from({ length: 1_500 }, () => reserver.take('key:a:0', 1_000));
    expect(answers.every((a) => typeof a === 'boolean')).toBe(true);
    expect(answers.filter((a) => a === true)).toHaveLength(1_000);
    expect(answers.slice(1_000).every((a) => a === false)).toBe(true);
    now = 1_000;
    expect(reserver.take('key:a:1', 1_000)).toBe(true);
  });
});
