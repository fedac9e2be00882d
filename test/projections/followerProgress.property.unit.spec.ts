/** The progress every follower reports: waits against a model of its checkpoint, and catch-up following the subscription. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFollowerProgress } from '../../src/projections/followerProgress.js';

/** Lets every promise reaction that is already due run. */
const settled = (): Promise<void> => new Promise((r) => setImmediate(r));

type Step = { op: 'reached'; at: number } | { op: 'rewound'; at: number } | { op: 'waitFor'; at: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('reached' as const), at: fc.nat(50) }),
  fc.record({ op: fc.constant('rewound' as const), at: fc.nat(50) }),
  fc.record({ op: fc.constant('waitFor' as const), at: fc.nat(50) }),
);

const deferred = (): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } => {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe('follower progress', () => {
  it('resolves a wait exactly once the checkpoint has been at or past its position since it was asked (reached only moves on, rewound moves to)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 40 }), async (steps) => {
        const progress = createFollowerProgress();
        let model = 0;
        const waits: Array<{ at: number; resolved: boolean; due: boolean }> = [];
        for (const step of steps) {
          if (step.op === 'reached') model = Math.max(model, step.at);
          else if (step.op === 'rewound') model = step.at;
          if (step.op === 'waitFor') {
            const w = { at: step.at, resolved: false, due: false };
            waits.push(w);
            void progress.waitFor(step.at).then(() => void (w.resolved = true));
          } else progress[step.op](step.at);
          for (const w of waits) w.due ||= model >= w.at;
          await settled();
          expect(waits.map((w) => w.resolved)).toEqual(waits.map((w) => w.due));
        }
      }),
    );
  });

  it('settles caughtUp when the subscription catches up, after onCaughtUp ran', async () => {
    const progress = createFollowerProgress();
    const caughtUp = deferred();
    const order: string[] = [];
    progress.follow({ caughtUp: caughtUp.promise, done: deferred().promise }, () => order.push('onCaughtUp'));
    void progress.caughtUp.then(() => order.push('caughtUp'));
    await settled();
    expect(order).toEqual([]);
    caughtUp.resolve();
    await settled();
    expect(order).toEqual(['onCaughtUp', 'caughtUp']);
  });

  it('fails caughtUp with the error of a subscription that stopped before catching up', async () => {
    const progress = createFollowerProgress();
    const done = deferred();
    progress.follow({ caughtUp: deferred().promise, done: done.promise });
    done.reject(new Error('handler failed'));
    await expect(progress.caughtUp).rejects.toThrow('handler failed');
  });

  it('keeps caughtUp resolved when a later subscription fails (a resumed follower)', async () => {
    const progress = createFollowerProgress();
    progress.follow({ caughtUp: Promise.resolve(), done: deferred().promise });
    await progress.caughtUp;
    const done = deferred();
    progress.follow({ caughtUp: deferred().promise, done: done.promise });
    done.reject(new Error('later failure'));
    await settled();
    await expect(progress.caughtUp).resolves.toBeUndefined();
  });
});
