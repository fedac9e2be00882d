/**
 * The cluster profile's live views live in Redis, beside their checkpoint. A restart must resume
 * from that checkpoint (no rebuild); a flush of Redis must be noticed and the views rebuilt from
 * the ledger by the platform itself, with no manual step.
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { Platform } from '../../src/app/platform.js';
import { eventually } from '../contracts/polling.js';
import { clusterStack } from '../support/clusterProfile.js';
import { openTestPlatform, origin, trade } from '../support/platform.js';

const MIN = 60_000;
/** A Redis logical database of this test's own, so its FLUSHDB touches no other test. */
const FLUSHED_DB = 7;

const t0 = Date.UTC(2024, 0, 1, 12);
const trades = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => trade(String(from + i), String(100 + ((from + i) % 17)), t0 + (from + i) * 7_000, { symbol: (from + i) % 2 === 0 ? 'BTC-USDT' : 'ETH-USDT' }));

const record = async (platform: Platform, items: ReturnType<typeof trades>) => {
  const r = await platform.commands.recordObservations({ origin, items });
  await platform.liveProjection.waitFor(r.lastPosition);
  return r;
};

const liveView = async (platform: Platform) =>
  Promise.all(['BTC-USDT', 'ETH-USDT'].map(async (s) => ({ series: await platform.live.seriesOf(s), minutes: await platform.live.minutes(s, 0, t0 + 600 * MIN) })));

describe.skipIf(clusterStack.skip)('Redis live store on the cluster profile', () => {
  it('a restart resumes from the stored checkpoint instead of rebuilding', async () => {
    const settings = clusterStack.config();
    const first = await openTestPlatform(settings);
    await record(first.platform, trades(0, 200));
    const before = await liveView(first.platform);
    await first.platform.close();

    const second = await openTestPlatform(settings, first.dataDir);
    try {
      await second.platform.liveProjection.caughtUp;
      // Nothing was folded again: the state came from Redis with its checkpoint (the ledger also
      // holds the default alert rules and any alerts, which the live projection passes over).
      expect(second.platform.liveProjection.stats()).toMatchObject({ checkpoint: (await second.platform.ledger.head()).position, applied: 0 });
      expect(await liveView(second.platform)).toEqual(before);
    } finally {
      await second.cleanup();
    }
  });

  it('after FLUSHDB the live views are rebuilt from the ledger by themselves and equal a fresh replay', async () => {
    const settings = clusterStack.config({ redisDb: FLUSHED_DB });
    const { platform, cleanup } = await openTestPlatform(settings);
    const admin = new Redis(settings.redisUrl!);
    try {
      await record(platform, trades(0, 300));
      expect((await platform.live.symbols()).length).toBe(2);
      await admin.flushdb();
      expect(await platform.live.symbols()).toEqual([]);
      // The next batch finds its checkpoint gone: the projection rebuilds from position 0.
      const after = await record(platform, trades(300, 50));
      expect(platform.liveProjection.stats().checkpoint).toBeGreaterThanOrEqual(after.lastPosition);

      // Flushed again while nothing arrives: the projection's watch notices within seconds.
      const expected = await liveView(platform);
      await admin.flushdb();
      await eventually(async () => (await platform.live.checkpoint('live')) === (await platform.ledger.head()).position, { timeoutMs: 30_000, intervalMs: 100, what: 'the idle projection to rebuild after a flush' });
      expect(await liveView(platform)).toEqual(expected);

      const fresh = await openTestPlatform({ ...settings, redisPrefix: `${settings.redisPrefix}fresh:` });
      try {
        await fresh.platform.liveProjection.caughtUp;
        expect(await liveView(platform)).toEqual(await liveView(fresh.platform));
        expect((await liveView(platform))[0]!.minutes.length).toBeGreaterThan(0);
      } finally {
        await fresh.cleanup();
      }
    } finally {
      admin.disconnect();
      await cleanup();
    }
  });
});
