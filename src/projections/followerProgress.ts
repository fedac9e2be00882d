/**
 * How far a ledger follower (live projection, relay, alert engine, alert feed) has got, as its
 * callers see it: `caughtUp` settles with its subscription's catch-up (or fails with it), and
 * `waitFor(position)` resolves once the follower has committed through that position.
 */
import type { Subscription } from '../domain/ports.js';

export interface FollowerProgress {
  readonly caughtUp: Promise<void>;
  /** Settles `caughtUp` as `subscription` catches up or fails; `onCaughtUp` runs first. */
  follow(subscription: Pick<Subscription, 'caughtUp' | 'done'>, onCaughtUp?: () => void): void;
  /** The follower has committed through `checkpoint`: every wait at or below it resolves. */
  reached(checkpoint: number): void;
  /**
   * The follower's output was lost back to `checkpoint` (its store was flushed) and is being
   * rebuilt: waits above it wait again, however far the follower had got before.
   */
  rewound(checkpoint: number): void;
  waitFor(position: number): Promise<void>;
}

export const createFollowerProgress = (): FollowerProgress => {
  let checkpoint = 0;
  const waiters: Array<{ position: number; resolve: () => void }> = [];
  let resolveCaughtUp!: () => void;
  let rejectCaughtUp!: (e: unknown) => void;
  const caughtUp = new Promise<void>((res, rej) => {
    resolveCaughtUp = res;
    rejectCaughtUp = rej;
  });
  caughtUp.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection
  const settle = (): void => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.position <= checkpoint) waiters.splice(i, 1)[0]!.resolve();
    }
  };
  return {
    caughtUp,
    follow(subscription, onCaughtUp) {
      subscription.caughtUp.then(() => {
        onCaughtUp?.();
        resolveCaughtUp();
      }, rejectCaughtUp);
      subscription.done.catch(rejectCaughtUp);
    },
    reached(position) {
      checkpoint = Math.max(checkpoint, position);
      settle();
    },
    rewound(position) {
      checkpoint = position;
      settle();
    },
    waitFor(position) {
      if (position <= checkpoint) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ position, resolve }));
    },
  };
};
