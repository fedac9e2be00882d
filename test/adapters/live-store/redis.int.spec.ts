/** The Redis LiveStore against the LiveStore contract on the real server, plus flush detection and TTL. */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRedisLiveStore } from '../../../src/adapters/live-store/redis/redisLiveStore.js';
import { isLiveStoreResetError } from '../../../src/domain/errors.js';
import { liveStoreContract } from '../../contracts/liveStore.contract.js';
import { uniqueName } from '../../contracts/polling.js';
import { minute, T0, tradeSlot } from '../../support/candles.js';
import { requireStack } from '../../support/stack.js';

const redis = requireStack('redis');

const fresh = () => {
  const prefix = `${uniqueName('tvtest')}:`;
  return { prefix, open: () => createRedisLiveStore({ url: redis.endpoint().url, prefix }) };
};

const delta = (m: number) => ({
  exchange: 'binance',
  symbol: 'BTC-USDT',
  maxEventTime: T0,
  lateEvents: 0,
  coveredFrom: Number.NEGATIVE_INFINITY,
  latest: undefined,
  upserts: [[minute(m), tradeSlot(minute(m))] as const],
  evictions: [],
});

describe.skipIf(redis.skip)('redis live store', () => {
  liveStoreContract('redis', async () => {
    const { open } = fresh();
    let current = open();
    return {
      store: current,
      reopen: async () => {
        await current.close();
        return (current = open());
      },
      cleanup: async () => {
        await current.clear();
        await current.close();
      },
    };
  }, { persistent: true });

  it('refuses a commit once its checkpoint has vanished from Redis (a flush), naming what it expected', async () => {
    const { prefix, open } = fresh();
    const store = open();
    const admin = new Redis(redis.endpoint().url);
    try {
      await store.load('live');
      await store.commit('live', [delta(0)], 5);
      // What FLUSHALL does to this store, limited to its own keys so parallel tests are untouched.
      const keys = await admin.keys(`${prefix}*`);
      await admin.del(...keys);
      const error = await store.commit('live', [delta(1)], 6).then(() => undefined, (e: unknown) => e);
      expect(isLiveStoreResetError(error)).toBe(true);
      expect(error).toMatchObject({ expected: '5', found: '0' });
      expect(await store.symbols()).toEqual([]);
      // After a load (the rebuild's first step) commits are accepted again.
      await store.load('live');
      await store.commit('live', [delta(1)], 1);
      expect((await store.load('live')).checkpoint).toBe(1);
    } finally {
      await store.clear();
      await store.close();
      admin.disconnect();
    }
  });

  it('puts a TTL on live windows and refreshes it on each commit', async () => {
    const { prefix } = fresh();
    const store = createRedisLiveStore({ url: redis.endpoint().url, prefix, windowTtlSeconds: 120 });
    const admin = new Redis(redis.endpoint().url);
    try {
      await store.commit('live', [delta(0)], 1);
      const ttl = await admin.ttl(`${prefix}candle:1m:BTC-USDT`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(120);
      expect(await admin.ttl(`${prefix}ckpt:live`)).toBe(-1);
    } finally {
      await store.clear();
      await store.close();
      admin.disconnect();
    }
  });
});
