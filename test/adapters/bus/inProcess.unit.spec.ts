/** The in-process Bus against the Bus contract. */
import { createInProcessBus } from '../../../src/adapters/bus/in-process/inProcessBus.js';
import { busContract } from '../../contracts/bus.contract.js';

busContract('in-process', async () => {
  const bus = createInProcessBus();
  // One process: a second client is the same bus.
  return { bus, other: async () => bus, cleanup: () => bus.close() };
});
