/**
 * Sends one topic's messages with one `send()` per partition and checks every partition's
 * acknowledgement. Why not one multi-partition `send()`: kafkajs (bug #1303) can resolve such a
 * send successfully after a leader failover while the messages of the partitions that moved
 * were never written. Per-partition sends each either come back acknowledged (errorCode 0 for
 * that very partition) or fail, so a resolved publish really means every message is stored.
 */
import { Partitioners, type Message, type PartitionerArgs, type Producer } from 'kafkajs';

const partitioner = Partitioners.DefaultPartitioner();

/** kafkajs' own key → partition assignment: the same a plain `send()` would pick. */
export const partitionOf = (topic: string, key: string, partitions: number): number =>
  partitioner({
    topic,
    message: { key, value: null },
    partitionMetadata: Array.from({ length: partitions }, (_, i) => ({ partitionId: i, leader: 0, replicas: [], isr: [], partitionErrorCode: 0 })),
  } satisfies PartitionerArgs);

export interface KeyedValue {
  readonly key: string;
  readonly value: string;
}

export const sendPerPartition = async (
  producer: Producer,
  topic: string,
  partitions: number,
  messages: readonly KeyedValue[],
  timeoutMs: number,
): Promise<void> => {
  const byPartition = new Map<number, Message[]>();
  for (const m of messages) {
    const p = partitionOf(topic, m.key, partitions);
    let list = byPartition.get(p);
    if (list === undefined) {
      list = [];
      byPartition.set(p, list);
    }
    list.push({ key: m.key, value: m.value, partition: p });
  }
  await Promise.all(
    [...byPartition].map(async ([partition, list]) => {
      const metadata = await producer.send({ topic, messages: list, acks: -1, timeout: timeoutMs });
      const ack = metadata.find((r) => r.topicName === topic && r.partition === partition);
      if (ack === undefined || ack.errorCode !== 0) {
        throw new Error(
          `kafka: ${list.length} message(s) to ${topic}[${partition}] not acknowledged (${ack === undefined ? 'no acknowledgement for the partition' : `errorCode ${ack.errorCode}`})`,
        );
      }
    }),
  );
};
