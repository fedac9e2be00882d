/** The rate limiter's counters in Redis against the SecondBudgets contract on the real server, plus their expiry. */
import { describe, expect, it } from 'vitest';
import { createRedisSecondBudgets } from '../../../src/adapters/http/access/redisSecondBudgets.js';
import { deleteByPrefix, openRedis } from '../../../src/adapters/redis/redisClient.js';
import { secondBudgetsContract } from '../../contracts/secondBudgets.contract.js';
import { uniqueName } from '../../contracts/polling.js';
import { requireStack } from '../../support/stack.js';

const redis = requireStack('redis');

describe.skipIf(redis.skip)('redis SecondBudgets', () => {
  secondBudgetsContract('redis', async () => {
    const prefix = `${uniqueName('tvtest')}:rate:`;
    // One connection per "process": each defines the script on its own connection.
    const connections = [openRedis({ url: redis.endpoint().url, name: 'tickvault-test' })];
    return {
      open: () => {
        const c = openRedis({ url: redis.endpoint().url, name: 'tickvault-test' });
        connections.push(c);
        return createRedisSecondBudgets(c, prefix);
      },
      cleanup: async () => {
        await deleteByPrefix(connections[0]!, prefix);
        for (const c of connections) c.disconnect();
      },
    };
  });

  it('a counter expires within seconds of its last grant (it names one second)', async () => {
    const prefix = `${uniqueName('tvtest')}:rate:`;
    const c = openRedis({ url: redis.endpoint().url, name: 'tickvault-test' });
    try {
      await createRedisSecondBudgets(c, prefix).reserve('key:a:1', 3, 5);
      expect(await c.get(`${prefix}key:a:1`)).toBe('3');
      const ttl = await c.pttl(`${prefix}key:a:1`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(10_000);
    } finally {
      await deleteByPrefix(c, prefix);
      c.disconnect();
    }
  });
});
