/**
 * The live projection heals itself: a failed commit makes it resume from the store's checkpoint,
 * a store that lost its state (LiveStoreResetError) is cleared and rebuilt from the ledger. In
 * both cases the result equals a projection that never failed.
 */
import { describe, expect, it } from 'vitest';
import { createInProcessBroadcaster } from '../../../src/adapters/broadcast/in-process/inProcessBroadcaster.js';
import { createMemoryLiveStore } from '../../../src/adapters/live-store/memory/memoryLiveStore.js';
import { DEFAULT_SPEED_POLICY } from '../../../src/domain/folds/series.js';
import { LiveStoreResetError } from '../../../src/domain/errors.js';
import type { LiveStore } from '../../../src/domain/ports.js';
import { createLiveProjection } from '../../../src/projections/live/liveProjection.js';
import { openTestPlatform, origin, trade } from '../../support/platform.js';

const t0 = Date.UTC(2024, 0, 1, 12);

/** A memory store whose `failAt`-th commit throws `error` (and writes nothing). */
const failingOnce = (store: LiveStore, failAt: number, error: () => Error): LiveStore => {
  let commits = 0;
  return {
    ...store,
    commit: async (projection, delta, checkpoint) => {
      if (++commits === failAt) throw error();
      return store.commit(projection, delta, checkpoint);
    },
  };
};

const view = async (store: LiveStore) => ({ symbols: await store.symbols(), minutes: await store.minutes('BTC-USDT', 0, Number.MAX_SAFE_INTEGER), series: await store.seriesOf('BTC-USDT') });

describe('live projection recovery', () => {
  it.each([
    ['a failed commit: resume from the stored checkpoint', () => new Error('store unreachable'), 'resume'],
    ['a lost store: clear and rebuild from the ledger', () => new LiveStoreResetError('live', '10', '0'), 'rebuild'],
  ] as const)('%s', async (_name, error, expectedAction) => {
    const { platform, cleanup } = await openTestPlatform();
    try {
      // Small batches so that the failure hits in the middle of the ledger, not at its start.
      for (let b = 0; b < 5; b++) {
        await platform.commands.recordObservations({ origin, items: Array.from({ length: 20 }, (_, i) => trade(`${b}-${i}`, String(100 + i), t0 + (b * 20 + i) * 3_000)) });
      }
      const head = (await platform.ledger.head()).position;
      const actions: string[] = [];
      const store = createMemoryLiveStore();
      const healing = createLiveProjection({
        ledger: platform.ledger,
        store: failingOnce(store, 3, error),
        broadcaster: createInProcessBroadcaster(),
        policy: DEFAULT_SPEED_POLICY,
        batchSize: 20,
        retryDelayMs: 10,
        onError: (_e, action) => void actions.push(action),
      });
      const reference = createMemoryLiveStore();
      const plain = createLiveProjection({ ledger: platform.ledger, store: reference, broadcaster: createInProcessBroadcaster(), policy: DEFAULT_SPEED_POLICY, batchSize: 20 });
      await Promise.all([healing.start(), plain.start()]);
      await Promise.all([healing.waitFor(head), plain.waitFor(head)]);
      expect(actions).toEqual([expectedAction]);
      expect(healing.stats().checkpoint).toBe(head);
      expect(await view(store)).toEqual(await view(reference));
      expect((await view(store)).minutes.length).toBeGreaterThan(0);
      await Promise.all([healing.stop(), plain.stop()]);
    } finally {
      await cleanup();
    }
  });
});
