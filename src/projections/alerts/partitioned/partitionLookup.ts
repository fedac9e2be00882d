/** Which partition of a topic a message key goes to, asked of the bus once per key. */
import type { Bus } from '../../../domain/ports.js';

export type PartitionLookup = (key: string) => Promise<number>;

export const createPartitionLookup = (bus: Pick<Bus, 'partitionOf'>, topic: string): PartitionLookup => {
  const partitionOfKey = new Map<string, number>();
  return async (key) => {
    let p = partitionOfKey.get(key);
    if (p === undefined) partitionOfKey.set(key, (p = await bus.partitionOf(topic, key)));
    return p;
  };
};
