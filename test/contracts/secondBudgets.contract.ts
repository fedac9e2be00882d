/**
 * The SecondBudgets contract (the rate limiter's shared counters): every adapter (this process's
 * memory, Redis) runs these tests, written only against the port. `make` returns budgets on
 * counters no other test uses; `cleanup` closes what it opened.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { SecondBudgets } from '../../src/adapters/http/access/secondBudgets.js';

export interface SecondBudgetsHarness {
  /** Budgets over one store: a second call stands for another process on the same counters. */
  readonly open: () => SecondBudgets;
  cleanup(): Promise<void>;
}

export const secondBudgetsContract = (name: string, make: () => Promise<SecondBudgetsHarness>): void => {
  describe(`SecondBudgets contract: ${name}`, () => {
    const harnesses: SecondBudgetsHarness[] = [];
    const fresh = async (): Promise<SecondBudgetsHarness> => {
      const h = await make();
      harnesses.push(h);
      return h;
    };
    afterEach(async () => {
      for (const h of harnesses.splice(0)) await h.cleanup();
    });
    // The counters' keys name a second, as the limiter's do: this one and no earlier test's.
    const key = (subject: string): string => `${subject}:${Math.floor(Date.now() / 1_000)}`;

    it('grants what is wanted while enough is left, then the rest, then nothing with nothing remaining', async () => {
      const budgets = (await fresh()).open();
      const k = key('key:a');
      expect(await budgets.reserve(k, 4, 10)).toEqual({ granted: 4, remaining: 6 });
      expect(await budgets.reserve(k, 4, 10)).toEqual({ granted: 4, remaining: 2 });
      expect(await budgets.reserve(k, 4, 10)).toEqual({ granted: 2, remaining: 0 });
      expect(await budgets.reserve(k, 1, 10)).toEqual({ granted: 0, remaining: 0 });
    });

    it('each counter has its own budget', async () => {
      const budgets = (await fresh()).open();
      const [a, b] = [key('key:a'), key('key:b')];
      expect(await budgets.reserve(a, 3, 3)).toEqual({ granted: 3, remaining: 0 });
      expect(await budgets.reserve(b, 2, 3)).toEqual({ granted: 2, remaining: 1 });
      expect(await budgets.reserve(a, 1, 3)).toEqual({ granted: 0, remaining: 0 });
    });

    it('reservations from several processes at once never grant more than the limit between them, and grant all of it when more is asked', async () => {
      const h = await fresh();
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 60 }), fc.array(fc.record({ process: fc.nat(2), wanted: fc.integer({ min: 1, max: 25 }) }), { minLength: 1, maxLength: 40 }), async (limit, asks) => {
          const processes = [h.open(), h.open(), h.open()];
          const k = key(`key:${Math.random().toString(36).slice(2)}`);
          const answers = await Promise.all(asks.map((a) => processes[a.process]!.reserve(k, a.wanted, limit)));
          const granted = answers.reduce((s, r) => s + r.granted, 0);
          const asked = asks.reduce((s, a) => s + a.wanted, 0);
          expect(granted).toBe(Math.min(limit, asked));
          for (const [i, r] of answers.entries()) {
            expect(r.granted).toBeGreaterThanOrEqual(0);
            expect(r.granted).toBeLessThanOrEqual(asks[i]!.wanted);
            if (r.granted === 0) expect(r.remaining).toBe(0);
          }
          // The smallest remaining said is what is left after every grant.
          expect(Math.min(...answers.map((r) => r.remaining))).toBe(limit - granted);
        }),
        { numRuns: 30 },
      );
    });
  });
};
