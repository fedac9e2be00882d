/**
 * cluster-ingest: trades/s from the ledger append through the relay and Kafka to a consumer
 * group that has seen every event (ledger: the embedded SQLite one; the PostgreSQL ledger and the
 * Redis live view join this path when the cluster profile is wired). Baseline in the same run,
 * on the same broker: plain kafkajs producing the same encoded messages (same keys, acks from
 * all replicas, same batch size) and one consumer reading them back, no ledger, relay or dedupe.
 * Needs the stack's Kafka (`npm run stack -- up kafka`).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { encodeEvent } from '../src/adapters/bus/eventMessage.js';
import { createKafkaBus } from '../src/adapters/bus/kafka/kafkaBus.js';
import { openSqliteLedger } from '../src/adapters/ledger/sqlite/sqliteLedger.js';
import { systemClock } from '../src/adapters/system/systemClock.js';
import type { NewEvent } from '../src/domain/events/envelope.js';
import { createRelay } from '../src/projections/relay/relay.js';
import { TOPICS } from '../src/projections/relay/topics.js';

const TRADES = Number(process.env['BENCH_TRADES'] ?? 100_000);
const BATCH = 2_000;
const SYMBOLS = Array.from({ length: 50 }, (_, i) => `S${i}-USDT`);

const brokers = (): string[] => {
  const file = path.resolve(process.env['TICKVAULT_STACK_DIR'] ?? '.stack', 'endpoints.json');
  if (!existsSync(file)) throw new Error(`no ${file}: start Kafka first with npm run stack -- up kafka`);
  const kafka = (JSON.parse(readFileSync(file, 'utf8')) as Record<string, { brokers?: string[] }>)['kafka'];
  if (kafka?.brokers === undefined) throw new Error(`${file} has no kafka endpoint: npm run stack -- up kafka`);
  return kafka.brokers;
};

const trades = (): NewEvent[][] => {
  const out: NewEvent[][] = [];
  const run = randomUUID();
  for (let i = 0; i < TRADES; i += BATCH) {
    out.push(
      Array.from({ length: Math.min(BATCH, TRADES - i) }, (_, j) => {
        const n = i + j;
        const symbol = SYMBOLS[n % SYMBOLS.length]!;
        return {
          id: `${run}-${n}`,
          type: 'TradeObserved',
          schemaVersion: 1,
          stream: `trades/bench/${symbol}/2024-01-01`,
          data: { exchange: 'bench', symbol, tradeId: String(n), price: '100.25', quantity: '0.5', side: 'buy', eventTime: 1_704_067_200_000 + n },
          meta: { actor: 'bench', correlationId: run, causationId: null, source: 'bench' },
          dedupKey: `trade/bench/${symbol}/${run}/${n}`,
        };
      }),
    );
  }
  return out;
};

const waitUntil = async (done: () => boolean, what: string, timeoutMs = 600_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

const tickvaultRun = async (batches: NewEvent[][], list: string[]) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-bench-cluster-'));
  const ledger = openSqliteLedger({ path: path.join(dir, 'ledger.sqlite'), clock: systemClock });
  const bus = await createKafkaBus({ brokers: list, clientId: 'bench-relay' });
  const relay = createRelay({ ledger, bus, name: `bench-${randomUUID()}`, batchSize: BATCH });
  let seen = 0;
  const consumer = await bus.consume(`bench-${randomUUID()}`, [TOPICS.pricesRaw], (b) => void (seen += b.length));
  // Skip what earlier runs left on the topic: count only after this run's relay started from an empty ledger.
  await new Promise((r) => setTimeout(r, 3_000));
  const before = seen;
  await relay.start();
  const started = performance.now();
  for (const b of batches) await ledger.append(b);
  await waitUntil(() => seen - before >= TRADES, 'the consumer to see every trade');
  const seconds = (performance.now() - started) / 1000;
  await consumer.stop();
  await relay.stop();
  await bus.close();
  await ledger.close();
  rmSync(dir, { recursive: true, force: true });
  return seconds;
};

const baselineRun = async (batches: NewEvent[][], list: string[]) => {
  const kafka = new Kafka({ clientId: 'bench-raw', brokers: list, logLevel: logLevel.ERROR });
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
  // Encoded outside the timing, as the tickvault run's ledger hands out already-built events.
  let position = 0;
  const encoded = batches.map((b) => b.map((e) => ({ key: (e.data as { symbol: string }).symbol, value: encodeEvent({ ...e, position: ++position, streamVersion: 1, meta: { ...e.meta, recordedAt: 0 }, dedupKey: e.dedupKey ?? null, prevHash: '0', hash: '0' }) })));
  const started = performance.now();
  for (const messages of encoded) await producer.send({ topic, acks: -1, messages });
  await waitUntil(() => seen >= TRADES, 'the raw consumer');
  const seconds = (performance.now() - started) / 1000;
  await consumer.disconnect();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  return seconds;
};

const main = async () => {
  const list = brokers();
  const batches = trades();
  console.error(`cluster-ingest: ${TRADES} trades, ledger → relay → Kafka (${list.join(',')}) → consumer group, then the raw kafkajs baseline`);
  const ours = await tickvaultRun(batches, list);
  console.error(`tickvault path: ${(TRADES / ours).toFixed(0)} trades/s (${ours.toFixed(2)} s)`);
  const raw = await baselineRun(batches, list);
  console.error(`raw kafkajs produce + consume: ${(TRADES / raw).toFixed(0)} msg/s (${raw.toFixed(2)} s)`);
  const value = Math.round(TRADES / ours);
  const baseline = Math.round(TRADES / raw);
  console.log(JSON.stringify({ bench: 'cluster-ingest', value, unit: 'trades/s', baseline, ratio: Number((value / baseline).toFixed(3)), trades: TRADES, goal: 'ratio >= 0.5' }));
};

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`cluster-ingest: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
