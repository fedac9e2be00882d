/**
 * Sends one topic's messages and checks that every partition they go to acknowledged them.
 * Why the check: kafkajs (bug #1303) can resolve a multi-partition send successfully after a
 * leader failover while the messages of the partitions that moved were never written; its
 * retry keeps the answers of brokers that had already answered, so the moved partitions have no
 * acknowledgement in what the send returns. A send therefore counts only when every partition
 * it carried has its own acknowledgement with errorCode 0; otherwise it fails and the caller
 * publishes again (consumers drop duplicates by event id). All partitions go in one request:
 * with one request in flight per broker, the number of requests bounds a publisher.
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

/**
 * Bytes of one send at most: a produce request's record batch must stay under the broker's
 * message.max.bytes (1 MB by default), so a partition's messages go in chunks, one after the
 * other, which keeps their order. As large as that allows with a margin (the estimate below
 * counts 64 bytes of framing per record, more than a record costs): with one request in flight
 * per broker, the number of sends is what limits a publisher's throughput.
 */
const MAX_SEND_BYTES = 900 * 1024;

const byteChunks = (messages: readonly Message[]): Message[][] => {
  const out: Message[][] = [];
  let current: Message[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = Buffer.byteLength(m.value as string) + Buffer.byteLength(m.key as string) + 64;
    if (current.length > 0 && bytes + size > MAX_SEND_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
};

export interface KeyedValue {
  readonly key: string;
  readonly value: string;
}

export const sendAcknowledged = async (
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
  // Round r sends the r-th chunk of every partition, so each partition's order is kept.
  const chunked = [...byPartition].map(([partition, list]) => ({ partition, chunks: byteChunks(list) }));
  for (let round = 0; ; round++) {
    const sending = chunked.filter((p) => p.chunks.length > round);
    if (sending.length === 0) return;
    const metadata = await producer.send({ topic, messages: sending.flatMap((p) => p.chunks[round]!), acks: -1, timeout: timeoutMs });
    for (const { partition, chunks } of sending) {
      const ack = metadata.find((r) => r.topicName === topic && r.partition === partition);
      if (ack === undefined || ack.errorCode !== 0) {
        throw new Error(
          `kafka: ${chunks[round]!.length} message(s) to ${topic}[${partition}] not acknowledged (${ack === undefined ? 'no acknowledgement for the partition' : `errorCode ${ack.errorCode}`})`,
        );
      }
    }
  }
};
