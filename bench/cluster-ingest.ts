/**
 * cluster-ingest: trades/s end to end on the cluster profile (openPlatform with the stack's
 * endpoints, a ledger schema, Redis prefix and HBase table prefix of its own, dropped afterwards):
 * recorded into the PostgreSQL ledger, published by the relay to Kafka, read back by the
 * platform's consumer group on crypto.prices.raw (the partitioned alert engine, which commits a
 * partition only once its trades are folded), and applied to the Redis live view. The clock stops
 * when all three are done.
 * Baseline in the same run, on the same broker: plain kafkajs producing the very messages the
 * relay published (same keys and bytes, acks from all replicas) and one consumer reading them back.
 * Also reported: recording alone (same trades, nothing following the ledger), the part of the path
 * Kafka is not in, and the bytes per stored trade of that ledger on the server (every ledger table
 * with its TOAST and indexes, after VACUUM).
 * Needs the stack (`npm run stack -- up`); TICKVAULT_STACK_DIR names its folder.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import pg from 'pg';
import pino from 'pino';
import { encodeEvent } from '../src/adapters/bus/eventMessage.js';
import { LEDGER_TABLES } from '../src/adapters/ledger/postgres/schema.js';
import type { Config } from '../src/app/config.js';
import { postgresUrlOf } from '../src/app/profiles/cluster.js';
import { openPlatform, type Platform } from '../src/app/platform.js';
import type { SourceItem } from '../src/domain/ports.js';
import { keyOf, TOPICS, topicOf } from '../src/projections/relay/topics.js';
import { dropClusterState } from '../test/support/clusterProfile.js';
import { benchClusterConfig } from './support/clusterConfig.js';
import { simulatedBatches } from './support/simulatedTrades.js';
import { startCpuMeter, type CpuReading } from './support/cpuMeter.js';

const TRADES = Number(process.env['BENCH_TRADES'] ?? 50_000);
const BATCH = 1_000;
const IN_FLIGHT = 4;
const BASELINE_RUNS = 3;

const waitUntil = async (done: () => boolean, what: string, timeoutMs = 600_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** The run's trades as the relay published them: same keys, same bytes. */
const publishedTrades = async (ledger: Platform['ledger'], run: string, through: number): Promise<Array<{ key: string; value: string }>> => {
  const out: Array<{ key: string; value: string }> = [];
  for (let after = 0; after < through; ) {
    const page = await ledger.read(after, 10_000);
    if (page.length === 0) break;
    for (const e of page) if (e.meta.correlationId === run && topicOf(e) === TOPICS.pricesRaw) out.push({ key: keyOf(e), value: encodeEvent(e) });
    after = page[page.length - 1]!.position;
  }
  return out;
};

const recordAll = async (platform: Platform, batches: SourceItem[][], run: string): Promise<number> => {
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
  return last;
};

/**
 * The whole path. The platform's own consumer group on crypto.prices.raw (the partitioned alert
 * engine) is the reader: it commits a partition's offsets only once its trades are folded, so
 * its `waitFor` is "consumed by the group". No consumer of the bench's own runs beside it: on
 * two cores one would take the CPU the platform is measured on.
 */
const tickvaultRun = async (batches: SourceItem[][], config: Config) => {
  const run = randomUUID();
  const platform = await openPlatform({ config, logger: pino({ level: 'silent' }) });
  try {
    const relay = platform.relay;
    if (relay === undefined) throw new Error('the cluster platform has no relay');
    await platform.alertEngine.caughtUp;
    const cpu = startCpuMeter();
    const started = performance.now();
    const last = await recordAll(platform, batches, run);
    const recorded = performance.now();
    await Promise.all([relay.waitFor(last), platform.liveProjection.waitFor(last), platform.alertEngine.waitFor(last)]);
    const seconds = (performance.now() - started) / 1000;
    return { seconds, recordSeconds: (recorded - started) / 1000, cpu: cpu(), messages: await publishedTrades(platform.ledger, run, last) };
  } finally {
    await platform.close();
  }
};

/** Bytes the ledger's tables take on the server (heap, TOAST and indexes, after VACUUM): everything a stored event costs. */
const ledgerBytes = async (config: Config): Promise<number> => {
  const c = new pg.Client({ connectionString: postgresUrlOf(config) });
  await c.connect();
  try {
    for (const table of LEDGER_TABLES) await c.query(`VACUUM "${config.postgresSchema}".${table}`);
    const r = await c.query<{ bytes: string }>(`SELECT sum(pg_total_relation_size(format('%I.%I', $1::text, t)))::bigint AS bytes FROM unnest($2::text[]) AS u(t)`, [
      config.postgresSchema,
      LEDGER_TABLES,
    ]);
    return Number(r.rows[0]!.bytes);
  } finally {
    await c.end();
  }
};

/** Recording alone (the same trades through the command into the ledger, nothing following it): one part of the path, for the note. */
const recordOnlyRun = async (batches: SourceItem[][], config: Config): Promise<number> => {
  const platform = await openPlatform({ config, logger: pino({ level: 'silent' }), runProjections: false });
  try {
    const started = performance.now();
    await recordAll(platform, batches, randomUUID());
    return (performance.now() - started) / 1000;
  } finally {
    await platform.close();
  }
};

const baselineRun = async (messages: ReadonlyArray<{ key: string; value: string }>, brokers: string[]) => {
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
  const cpu = startCpuMeter();
  const started = performance.now();
  for (let i = 0; i < messages.length; i += BATCH) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + BATCH) });
  await waitUntil(() => seen >= messages.length, 'the raw consumer');
  const seconds = (performance.now() - started) / 1000;
  const reading = cpu();
  await consumer.disconnect();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  return { seconds, cpu: reading };
};

const main = async () => {
  const name = `bench_${randomUUID().slice(0, 8)}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-bench-cluster-'));
  const config = benchClusterConfig(name, dir);
  const recordOnlyConfig = benchClusterConfig(`${name}_rec`, dir);
  const brokers = config.kafkaBrokers!.split(',').map((b) => b.trim());
  const batches = await simulatedBatches({ seed: 11, symbols: 50, trades: TRADES, batchSize: BATCH });
  console.error(`cluster-ingest: ${TRADES} trades, PostgreSQL ledger → relay → Kafka (${brokers.join(',')}) → the platform's consumer group + Redis live view, then the raw kafkajs baseline`);
  try {
    const ours = await tickvaultRun(batches, config);
    if (ours.messages.length !== TRADES) throw new Error(`the ledger holds ${ours.messages.length} of the run's ${TRADES} trades`);
    const cores = (c: CpuReading): string => `this process ${c.processCpuS} CPU-s, ${c.busyCores} of ${c.cores} cores busy`;
    console.error(`tickvault path: ${(TRADES / ours.seconds).toFixed(0)} trades/s (${ours.seconds.toFixed(2)} s, of which recording ${ours.recordSeconds.toFixed(2)} s; ${cores(ours.cpu)})`);
    // The baseline takes about a second and its rate swings by a third from run to run: the median of three.
    const raws: Array<Awaited<ReturnType<typeof baselineRun>>> = [];
    for (let i = 0; i < BASELINE_RUNS; i++) {
      const r = await baselineRun(ours.messages, brokers);
      console.error(`raw kafkajs produce + consume: ${(TRADES / r.seconds).toFixed(0)} msg/s (${r.seconds.toFixed(2)} s; ${cores(r.cpu)})`);
      raws.push(r);
    }
    const raw = raws.sort((a, b) => a.seconds - b.seconds)[Math.floor(BASELINE_RUNS / 2)]!;
    const recordOnly = await recordOnlyRun(batches, recordOnlyConfig);
    const bytesPerTrade = Number(((await ledgerBytes(recordOnlyConfig)) / TRADES).toFixed(1));
    console.error(`recording alone (no relay, projections or consumers): ${(TRADES / recordOnly).toFixed(0)} trades/s; ${bytesPerTrade} bytes per stored trade on PostgreSQL`);
    const value = Math.round(TRADES / ours.seconds);
    const baseline = Math.round(TRADES / raw.seconds);
    console.log(
      JSON.stringify({
        bench: 'cluster-ingest',
        value,
        unit: 'trades/s',
        baseline,
        ratio: Number((value / baseline).toFixed(3)),
        trades: TRADES,
        recordTradesPerS: Math.round(TRADES / ours.recordSeconds),
        recordAloneTradesPerS: Math.round(TRADES / recordOnly),
        bytesPerTrade,
        pathProcessCpuS: ours.cpu.processCpuS,
        pathBusyCores: ours.cpu.busyCores,
        baselineProcessCpuS: raw.cpu.processCpuS,
        baselineBusyCores: raw.cpu.busyCores,
        cores: ours.cpu.cores,
        goal: 'ratio >= 0.5',
        baselineUnit: 'raw kafkajs produce + consume of the same messages/s (median of 3 runs)',
      }),
    );
  } finally {
    await dropClusterState(config);
    await dropClusterState(recordOnlyConfig);
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
