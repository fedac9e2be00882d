/**
 * The cluster Bus on Kafka (kafkajs). Publishing: an idempotent producer, acks from every
 * in-sync replica, every partition's acknowledgement checked (see acknowledgedSend.ts).
 * Consuming: kafkajs consumer groups, a batch's offsets committed only after the handler
 * resolved, redeliveries dropped by event id. Topics are created on first use with
 * `partitions` partitions and the brokers' default replication (3 with min.insync.replicas 2
 * on the 3-broker stack).
 *
 * Checkpoints live in Kafka too, one compacted single-partition topic per publisher whose last
 * message is the checkpoint, so a relay needs no other server to resume.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';
import type { Bus, BusConsumer, BusConsumeOptions, BusHandler, BusMessage } from '../../../domain/ports.js';
import { decodeEvent, encodeEvent } from '../eventMessage.js';
import { recentIds } from '../recentIds.js';
import { partitionOf, sendAcknowledged } from './acknowledgedSend.js';

export interface KafkaBusOptions {
  readonly brokers: readonly string[];
  readonly clientId?: string;
  /** Partitions of topics this bus creates. */
  readonly partitions?: number;
  /** How long a send waits for its acknowledgements before it fails. */
  readonly sendTimeoutMs?: number;
  /**
   * Prefixed to every topic name on the brokers (not to what callers see): deployments, or
   * tests, sharing one Kafka keep their streams apart. Default none.
   */
  readonly topicPrefix?: string;
  /** kafkajs' own log lines at this level and above go to stderr. */
  readonly logLevel?: 'nothing' | 'error' | 'warn' | 'info';
}

const LEVELS = { nothing: logLevel.NOTHING, error: logLevel.ERROR, warn: logLevel.WARN, info: logLevel.INFO } as const;

const checkpointTopic = (publisher: string): string => `tickvault.checkpoint.${publisher.replace(/[^A-Za-z0-9._-]/g, '_')}`;

/**
 * Runs a metadata request again while Kafka answers with a retriable error. A topic just created
 * (or a partition whose leader just moved) answers "not the leader" until its leader election
 * lands, which kafkajs' admin client passes on instead of retrying.
 */
const retryRetriable = async <T>(request: () => Promise<T>, attempts = 10): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (e) {
      if (attempt >= attempts || (e as { retriable?: boolean }).retriable !== true) throw e;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
};

export const createKafkaBus = async (options: KafkaBusOptions): Promise<Bus> => {
  const partitions = options.partitions ?? 3;
  const prefix = options.topicPrefix ?? '';
  const sendTimeoutMs = options.sendTimeoutMs ?? 30_000;
  const kafka = new Kafka({
    clientId: options.clientId ?? 'tickvault',
    brokers: [...options.brokers],
    logLevel: LEVELS[options.logLevel ?? 'error'],
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    // Enough to ride out a leader failover (a few seconds) before a call fails.
    retry: { retries: 12, initialRetryTime: 200, maxRetryTime: 5_000 },
  });
  const admin: Admin = kafka.admin();
  // The idempotent producer's own retries: kafkajs caps them by this, not by the client's.
  const producer: Producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true, maxInFlightRequests: 1, retry: { retries: 30, initialRetryTime: 200, maxRetryTime: 5_000 } });
  await admin.connect();
  await producer.connect();
  /** The stop of every running consumer, so close() settles their `done`. */
  const running = new Set<() => Promise<void>>();
  const partitionCounts = new Map<string, number>();

  /** Creates the topic when missing; returns its partition count. */
  const ensureTopic = async (topic: string, config?: { partitions: number; compact: boolean }): Promise<number> => {
    const known = partitionCounts.get(topic);
    if (known !== undefined) return known;
    // Listed first: creating an existing topic works but makes kafkajs log an error.
    if (!(await admin.listTopics()).includes(topic)) {
      await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: config?.partitions ?? partitions,
          configEntries: config?.compact === true ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
        },
      ],
      });
    }
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const count = meta.topics[0]?.partitions.length ?? 0;
    if (count === 0) throw new Error(`kafka: topic ${topic} has no partitions after creation`);
    partitionCounts.set(topic, count);
    return count;
  };

  const publish = async (messages: readonly BusMessage[]): Promise<void> => {
    const byTopic = new Map<string, Array<{ key: string; value: string }>>();
    for (const m of messages) {
      let list = byTopic.get(m.topic);
      if (list === undefined) {
        list = [];
        byTopic.set(m.topic, list);
      }
      list.push({ key: m.key, value: encodeEvent(m.event) });
    }
    await Promise.all(
      [...byTopic].map(async ([topic, list]) => sendAcknowledged(producer, prefix + topic, await ensureTopic(prefix + topic), list, sendTimeoutMs)),
    );
  };

  const consume = async (group: string, topics: readonly string[], handler: BusHandler, consumeOptions: BusConsumeOptions = {}): Promise<BusConsumer> => {
    for (const t of topics) await ensureTopic(prefix + t);
    const consumer = kafka.consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 1_000, retry: { retries: 12 } });
    const seen = recentIds();
    let failure: unknown;
    let settle!: { resolve: () => void; reject: (e: unknown) => void };
    const done = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    done.catch(() => undefined); // observed by the caller through `done`
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopping ??= consumer
        .disconnect()
        .finally(() => {
          running.delete(stop);
          if (failure !== undefined) settle.reject(failure);
          else settle.resolve();
        });
      return stopping;
    };
    running.add(stop);
    if (consumeOptions.onAssigned !== undefined) {
      const told = consumeOptions.onAssigned;
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        const owned = Object.entries(payload.memberAssignment).flatMap(([topic, ps]) => ps.map((partition) => ({ topic: topic.slice(prefix.length), partition })));
        told(owned);
      });
    }
    // kafkajs gives up on a member for good after a non-retriable error (under load: "The coordinator
    // is not aware of this member" once the session timed out) and then fetches nothing, ever. Without
    // this, `done` never settled and the consumer's owner waited forever instead of rejoining.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      failure ??= payload.error;
      setImmediate(() => void stop());
    });
    await consumer.connect();
    await consumer.subscribe({ topics: topics.map((t) => prefix + t), fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, isRunning, isStale, resolveOffset }) => {
        if (failure !== undefined || !isRunning() || isStale() || batch.messages.length === 0) return;
        const fresh: BusMessage[] = [];
        for (const m of batch.messages) {
          const raw = m.value?.toString('utf8') ?? '';
          const decoded = decodeEvent(raw);
          if (!decoded.ok) consumeOptions.onRejected?.(decoded.reason, raw);
          else if (seen.firstSeen(decoded.event.id)) fresh.push({ topic: batch.topic.slice(prefix.length), key: m.key?.toString('utf8') ?? '', event: decoded.event, partition: batch.partition });
        }
        try {
          if (fresh.length > 0) await handler(fresh);
        } catch (e) {
          // Not committed: the group gets this batch again. Stop outside kafkajs' batch loop.
          failure = e;
          setImmediate(() => void stop());
          return;
        }
        // Resolved: kafkajs fetches on from here (unresolved, it would fetch this batch again).
        resolveOffset(batch.lastOffset());
        const next = String(Number(batch.lastOffset()) + 1);
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
      },
    });
    return { done, stop };
  };

  /** The last message of a checkpoint topic, read by a throwaway consumer (a group of its own). */
  const checkpoint = async (publisher: string): Promise<number> => {
    const topic = checkpointTopic(publisher);
    await ensureTopic(topic, { partitions: 1, compact: true });
    const offsets = await retryRetriable(() => admin.fetchTopicOffsets(topic));
    const high = Number(offsets[0]?.high ?? 0);
    const low = Number(offsets[0]?.low ?? 0);
    if (high <= low) return 0;
    const groupId = `tickvault-checkpoint-reader-${randomUUID()}`;
    const reader = kafka.consumer({ groupId, sessionTimeout: 10_000 });
    await reader.connect();
    try {
      await reader.subscribe({ topic, fromBeginning: true });
      const value = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`kafka: reading checkpoint ${topic} timed out after 60 s`)), 60_000);
        let last = 0;
        reader
          .run({
            eachMessage: async ({ message }) => {
              last = Number(message.value?.toString('utf8'));
              if (Number(message.offset) >= high - 1) {
                clearTimeout(timer);
                if (Number.isInteger(last) && last >= 0) resolve(last);
                else reject(new Error(`kafka: checkpoint ${topic} holds ${message.value?.toString('utf8')}, not a position`));
              }
            },
          })
          .catch(reject);
        // The last message only: compaction keeps it, and nothing before it matters.
        reader.seek({ topic, partition: 0, offset: String(high - 1) });
      });
      return value;
    } finally {
      await reader.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
  };

  return {
    publish,
    consume,
    partitionOf: async (topic, key) => partitionOf(prefix + topic, key, await ensureTopic(prefix + topic)),
    checkpoint,
    async saveCheckpoint(publisher, position) {
      const topic = checkpointTopic(publisher);
      await sendAcknowledged(producer, topic, await ensureTopic(topic, { partitions: 1, compact: true }), [{ key: publisher, value: String(position) }], sendTimeoutMs);
    },
    async close() {
      await Promise.all([...running].map((stop) => stop()));
      await producer.disconnect();
      await admin.disconnect();
    },
  };
};
