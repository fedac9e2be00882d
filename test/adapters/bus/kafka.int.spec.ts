/** The Kafka Bus against the Bus contract, on the stack's single-node broker. */
import { describe } from 'vitest';
import { createKafkaBus } from '../../../src/adapters/bus/kafka/kafkaBus.js';
import type { Bus } from '../../../src/domain/ports.js';
import { busContract } from '../../contracts/bus.contract.js';
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
});
