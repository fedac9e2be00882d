/**
 * cluster-ingest: trades/s end to end on the cluster profile (openPlatform with the stack's
 * endpoints, a ledger schema, Redis prefix and HBase table prefix of its own, dropped afterwards):
 * recorded into the PostgreSQL ledger, published by the relay to Kafka, read back by a consumer
 * group, and applied to the Redis live view. The clock stops when all three are done: the relay
 * has published the last position, the group has seen every trade, the live view has applied it.
 * Baseline in the same run, on the same broker: plain kafkajs producing the very messages the
 * group received (same keys and bytes, acks from all replicas) and one consumer reading them back.
 * Needs the stack (`npm run stack -- up`); TICKVAULT_STACK_DIR names its folder.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import pino from 'pino';
import { encodeEvent } from '../src/adapters/bus/eventMessage.js';
import { createKafkaBus } from '../src/adapters/bus/kafka/kafkaBus.js';
import type { Config } from '../src/app/config.js';
import { openPlatform } from '../src/app/platform.js';
import type { BusMessage, SourceItem } from '../src/domain/ports.js';
import { TOPICS } from '../src/projections/relay/topics.js';
import { dropClusterState } from '../test/support/clusterProfile.js';
import { benchClusterConfig } from './support/clusterConfig.js';
import { simulatedBatches } from './support/simulatedTrades.js';

const TRADES = Number(process.env['BENCH_TRADES'] ?? 50_000);
const BATCH = 1_000;
const IN_FLIGHT = 4;

const waitUntil = async (done: () => boolean, what: string, timeoutMs = 600_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** A new consumer group placed at the topic's current end: it reads only what this run publishes. */
const groupAtEnd = async (brokers: string[], topic: string): Promise<string> => {
  const groupId = `bench-cluster-${randomUUID()}`;
  const admin = new Kafka({ clientId: 'bench-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return groupId; // nothing published yet: nothing to skip
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({ groupId, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
  } finally {
    await admin.disconnect();
  }
  return groupId;
};

const tickvaultRun = async (batches: SourceItem[][], config: Config, brokers: string[]) => {
  const run = randomUUID();
  const received: BusMessage[] = [];
  const bus = await createKafkaBus({ brokers, clientId: 'bench-consumer', topicPrefix: config.kafkaTopicPrefix });
  const group = await groupAtEnd(brokers, config.kafkaTopicPrefix + TOPICS.pricesRaw);
  const consumer = await bus.consume(group, [TOPICS.pricesRaw], (messages) => {
    for (const m of messages) if (m.event.meta.correlationId === run && m.event.type === 'TradeObserved') received.push(m);
  });
  const platform = await openPlatform({ config, logger: pino({ level: 'silent' }) });
  try {
    const relay = platform.relay;
    if (relay === undefined) throw new Error('the cluster platform has no relay');
    const started = performance.now();
    let next = 0;
    let last = 0;
    const worker = async () => {
      while (next < batches.length) {
        const items = batches[next++]!;
        const r = await platform.commands.recordObservations({ origin: { actor: 'bench', correlationId: run, source: 'simulator' }, items });
        last = Math.max(last, r.lastPosition);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const recorded = performance.now();
    await Promise.all([relay.waitFor(last), platform.liveProjection.waitFor(last), waitUntil(() => received.length >= TRADES, 'the consumer group to see every trade')]);
    const seconds = (performance.now() - started) / 1000;
    return { seconds, recordSeconds: (recorded - started) / 1000, received };
  } finally {
    await consumer.stop();
    await bus.close();
    await platform.close();
  }
};

const baselineRun = async (messages: readonly BusMessage[], brokers: string[]) => {
  const kafka = new Kafka({ clientId: 'bench-raw', brokers, logLevel: logLevel.ERROR });
  const topic = `bench.raw.${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await consumer.run({ eachBatch: async ({ batch }) => void (seen += batch.messages.length) });
  // Encoded outside the timing: the relay's events come from the ledger already built.
  const encoded = messages.map((m) => ({ key: m.key, value: encodeEvent(m.event) }));
  const started = performance.now();
  for (let i = 0; i < encoded.length; i += BATCH) await producer.send({ topic, acks: -1, messages: encoded.slice(i, i + BATCH) });
  await waitUntil(() => seen >= encoded.length, 'the raw consumer');
  const seconds = (performance.now() - started) / 1000;
  await consumer.disconnect();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  return seconds;
};

const main = async () => {
  const name = `bench_${randomUUID().slice(0, 8)}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-bench-cluster-'));
  const config = benchClusterConfig(name, dir);
  const brokers = config.kafkaBrokers!.split(',').map((b) => b.trim());
  const batches = await simulatedBatches({ seed: 11, symbols: 50, trades: TRADES, batchSize: BATCH });
  console.error(`cluster-ingest: ${TRADES} trades, PostgreSQL ledger → relay → Kafka (${brokers.join(',')}) → consumer group + Redis live view, then the raw kafkajs baseline`);
  try {
    const ours = await tickvaultRun(batches, config, brokers);
    console.error(`tickvault path: ${(TRADES / ours.seconds).toFixed(0)} trades/s (${ours.seconds.toFixed(2)} s, of which recording ${ours.recordSeconds.toFixed(2)} s)`);
    const raw = await baselineRun(ours.received, brokers);
    console.error(`raw kafkajs produce + consume: ${(TRADES / raw).toFixed(0)} msg/s (${raw.toFixed(2)} s)`);
    const value = Math.round(TRADES / ours.seconds);
    const baseline = Math.round(ours.received.length / raw);
    console.log(JSON.stringify({ bench: 'cluster-ingest', value, unit: 'trades/s', baseline, ratio: Number((value / baseline).toFixed(3)), trades: TRADES, recordTradesPerS: Math.round(TRADES / ours.recordSeconds), goal: 'ratio >= 0.5', baselineUnit: 'raw kafkajs produce + consume of the same messages/s' }));
  } finally {
    await dropClusterState(config);
    rmSync(dir, { recursive: true, force: true });
  }
};

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`cluster-ingest: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
