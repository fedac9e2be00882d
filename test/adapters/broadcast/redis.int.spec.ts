/** The Redis Broadcaster against the Broadcaster contract on the real server, plus fan-out across processes. */
import { describe, expect, it } from 'vitest';
import { createRedisBroadcaster } from '../../../src/adapters/broadcast/redis/redisBroadcaster.js';
import { broadcasterContract } from '../../contracts/broadcaster.contract.js';
import { eventually, uniqueName } from '../../contracts/polling.js';
import { requireStack } from '../../support/stack.js';

const redis = requireStack('redis');

describe.skipIf(redis.skip)('redis broadcaster', () => {
  broadcasterContract('redis', async () => {
    const broadcaster = createRedisBroadcaster({ url: redis.endpoint().url, prefix: `${uniqueName('tvtest')}:` });
    return { broadcaster, cleanup: () => broadcaster.close() };
  });

  it('fans a message out to the subscribers of every API process, not only the publisher’s', async () => {
    // Two broadcasters on one prefix stand for two API processes; each has its own connections.
    const prefix = `${uniqueName('tvtest')}:`;
    const [a, b] = [createRedisBroadcaster({ url: redis.endpoint().url, prefix }), createRedisBroadcaster({ url: redis.endpoint().url, prefix })];
    try {
      const gotA: unknown[] = [];
      const gotB: unknown[] = [];
      a.subscribe('stream:BTC-USDT', (m) => void gotA.push(m));
      b.subscribe('stream:BTC-USDT', (m) => void gotB.push(m));
      // Subscribing is asynchronous: publish until both processes have seen a message.
      let n = 0;
      await eventually(() => {
        a.publish('stream:BTC-USDT', { n: n++ });
        return gotA.length > 0 && gotB.length > 0;
      }, { intervalMs: 20, what: 'both processes subscribed' });
      const before = gotB.length;
      a.publish('stream:BTC-USDT', { last: true });
      await eventually(() => gotB.length > before && gotA.some((m) => (m as { last?: boolean }).last === true), { what: 'the last message' });
      expect(gotB[gotB.length - 1]).toEqual({ last: true });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
