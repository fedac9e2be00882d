/** The Kafka Bus against the Bus contract, on the stack's single-node broker. */
import { describe, expect, it } from 'vitest';
import { createKafkaBus } from '../../../src/adapters/bus/kafka/kafkaBus.js';
import type { Bus } from '../../../src/domain/ports.js';
import { busContract, eventAt } from '../../contracts/bus.contract.js';
import { uniqueName } from '../../contracts/polling.js';
import { requireStack } from '../../support/stack.js';

const kafka = requireStack('kafka');
const brokers = (): string[] => kafka.endpoint()['brokers'] as string[];

describe.skipIf(kafka.skip)('kafka', () => {
  busContract(
    'kafka',
    async () => {
      const bus = await createKafkaBus({ brokers: brokers() });
      const others: Bus[] = [];
      return {
        bus,
        async other() {
          const b = await createKafkaBus({ brokers: brokers(), clientId: 'tickvault-other' });
          others.push(b);
          return b;
        },
        async cleanup() {
          for (const b of others) await b.close();
          await bus.close();
        },
      };
    },
    30_000,
  );

  it('a member the group gave up on (its handler held the process past the session timeout) ends with the error, never waits silently', async () => {
    const bus = await createKafkaBus({ brokers: brokers() });
    try {
      const topic = uniqueName('evicted');
      await bus.publish([{ topic, key: 'BTC-USDT', event: eventAt(1) }]);
      const consumer = await bus.consume(uniqueName('evicted-group'), [topic], async () => {
        // Blocks the event loop, heartbeats included, past the 10 s session: the coordinator drops
        // the member, and the commit after this batch is refused as from an unknown member.
        const until = Date.now() + 14_000;
        while (Date.now() < until);
      });
      await expect(consumer.done).rejects.toThrow();
    } finally {
      await bus.close();
    }
  }, 120_000);
});

