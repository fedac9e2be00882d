/**
 * stages: the CPU cost per 1,000 events of each stage a trade goes through, each measured alone
 * on the same trades (BENCH_TRADES, default 100,000, over 1,000 symbols, batches of 1,000), the
 * median of BENCH_ROUNDS (default 3) rounds, in CPU-µs of this process (worker threads included:
 * the SQLite ledger's writer thread is counted in `store`):
 *   - decode: the Binance wire decoder (parse, validate, normalise) of one trade frame;
 *   - decide: RecordObservations' decider (validation, dedup inside the batch, ids, streams);
 *   - seal: canonical bytes and leaf hash of each event, the tree frontier, its tiles and one
 *     signed checkpoint per batch;
 *   - store: the embedded ledger's durable append (SQLite WAL, synchronous=FULL) less `seal`;
 *   - read: reading the stored events back in pages (what every follower pays first);
 *   - relay: encoding each event as the bus message the relay publishes (the Kafka client's own
 *     cost is the cluster-ingest bench's baseline CPU);
 *   - fold.live, fold.alerts: the live projection (minute slots, running statistics, the memory
 *     store, fan-out) less `read`, and the alert fold with every detector on, over the same events;
 *   - handoff (not a stage of today's path, so not in the total): posting the recorded events to a
 *     worker thread in pages of 1,000 and their arrival there, both threads' CPU: what feeding a
 *     fold running on the second core from the main thread would add.
 * value = events/s one core sustains through every stage (10^9 / total CPU-µs per 1,000 events);
 * baseline = events/s one core sustains doing the least any recording must: JSON.parse of the
 * frame, SHA-256 of the event's canonical bytes and JSON.stringify of the event. docs/scaling.md's
 * table is this bench's `perThousandCpuMs`.
 */
import { hash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { encodeEvent } from '../src/adapters/bus/eventMessage.js';
import { createInProcessBroadcaster } from '../src/adapters/broadcast/in-process/inProcessBroadcaster.js';
import { loadOrCreateSigningKey } from '../src/adapters/ledger/checkpoint/signingKeyFile.js';
import { createTreeFrontier } from '../src/adapters/ledger/merkle/treeFrontier.js';
import { createMetaStamper, sealEvent } from '../src/adapters/ledger/sealEvent.js';
import { openSqliteLedger } from '../src/adapters/ledger/sqlite/sqliteLedger.js';
import { growTree } from '../src/adapters/ledger/tree/treeGrowth.js';
import { createMemoryLiveStore } from '../src/adapters/live-store/memory/memoryLiveStore.js';
import { EXCHANGE_DECODERS } from '../src/adapters/sources/wire/exchangeDecoders.js';
import { SKIPPED } from '../src/adapters/sources/wire/decoded.js';
import { createUuidV7Generator } from '../src/adapters/system/uuidv7.js';
import { systemClock } from '../src/adapters/system/systemClock.js';
import { recordObservationsDecider } from '../src/commands/recordObservations.js';
import { registerAlertRule } from '../src/commands/registerAlertRule.js';
import type { Decision } from '../src/domain/decider.js';
import { createAlertFold } from '../src/domain/detectors/alertFold.js';
import { canonicalEventBytes } from '../src/domain/events/canonical.js';
import { upcastEvent } from '../src/domain/events/catalogue.js';
import type { RecordedEvent } from '../src/domain/events/envelope.js';
import { DEFAULT_ALERT_RULES } from '../src/projections/alerts/defaultRules.js';
import { createLiveProjection } from '../src/projections/live/liveProjection.js';
import { simulatedBatches } from './support/simulatedTrades.js';
import { binanceLines } from './support/wireLines.js';

const TRADES = Number(process.env['BENCH_TRADES'] ?? 100_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const SYMBOLS = 1_000;
const origin = { actor: 'bench', correlationId: 'bench', source: 'simulator' };
const policy = { allowedLatenessMs: 5_000, retentionMs: 3_600_000 };

const cpuMicros = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** CPU-ms per 1,000 events of `run` over `events` events: the median of ROUNDS rounds, each after `setup`. */
const perThousand = async <S>(events: number, setup: () => S | Promise<S>, run: (s: S) => unknown, teardown?: (s: S) => unknown): Promise<number> => {
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const s = await setup();
    const t0 = cpuMicros();
    await run(s);
    rounds.push((cpuMicros() - t0) / events);
    await teardown?.(s);
  }
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(rounds.length / 2)]!;
};

const tempLedger = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-bench-stages-'));
  const ledger = openSqliteLedger({ path: path.join(dir, 'ledger.sqlite'), clock: systemClock, signer: loadOrCreateSigningKey(path.join(dir, 'ledger-key.json')) });
  return { dir, ledger };
};

const batches = await simulatedBatches({ seed: 13, symbols: SYMBOLS, trades: TRADES, batchSize: 1_000 });
const trades = batches.reduce((a, b) => a + b.length, 0);
const deps = { clock: systemClock, ids: createUuidV7Generator(systemClock) };
const decideAll = (): Decision[][] => batches.map((items) => [...recordObservationsDecider.decide({ data: items, metadata: { origin, now: deps.clock.now(), nextId: () => deps.ids.next() } }, null)]);
const decided = decideAll();
const signer = loadOrCreateSigningKey(path.join(mkdtempSync(path.join(os.tmpdir(), 'tv-bench-stages-key-')), 'key.json'));

// Trade frames only (the recording's, when ../shared/data is there), cycled to TRADES.
const decode = EXCHANGE_DECODERS['binance']!();
const wire = binanceLines(TRADES);
const tradeFrames = wire.lines.filter((l) => decode(l) !== SKIPPED);
const frames = Array.from({ length: TRADES }, (_, i) => tradeFrames[i % tradeFrames.length]!);

const cost: Record<string, number> = {};
cost['decode'] = await perThousand(frames.length / 1_000, () => undefined, () => {
  for (const f of frames) decode(f);
});
cost['decide'] = await perThousand(trades / 1_000, () => undefined, decideAll);
cost['seal'] = await perThousand(trades / 1_000, () => createTreeFrontier(), (frontier) => {
  let position = 0;
  for (const group of decided) {
    const stamp = createMetaStamper(systemClock.now());
    const leaves = group.map((e) => sealEvent(e, ++position, 1, stamp(e.meta)).leaf);
    growTree(frontier, leaves, systemClock.now(), signer);
  }
});
const append = await perThousand(trades / 1_000, tempLedger, async ({ ledger }) => {
  for (const group of decided) await ledger.append(group);
}, async ({ dir, ledger }) => {
  await ledger.close();
  rmSync(dir, { recursive: true, force: true });
});
cost['store'] = append - cost['seal'];

// One ledger for the followers' stages: the default alert rules, then the trades.
const { dir, ledger } = tempLedger();
const commandDeps = { ...deps, ledger };
for (const r of DEFAULT_ALERT_RULES) await registerAlertRule(commandDeps, r, origin);
for (const group of decided) await ledger.append(group);
const head = (await ledger.head()).position;
const readAll = async (): Promise<RecordedEvent[]> => {
  const all: RecordedEvent[] = [];
  for (let after = 0; after < head; ) {
    const page = await ledger.read(after, 1_000);
    if (page.length === 0) break;
    all.push(...page);
    after = page[page.length - 1]!.position;
  }
  return all;
};
cost['read'] = await perThousand(head / 1_000, () => undefined, readAll);
const recorded = await readAll();
cost['relay'] = await perThousand(head / 1_000, () => undefined, () => {
  for (const e of recorded) encodeEvent(e);
});
const live = await perThousand(head / 1_000, () => createLiveProjection({ ledger, store: createMemoryLiveStore(), broadcaster: createInProcessBroadcaster(), policy }), async (p) => {
  await p.start();
  await p.caughtUp;
}, (p) => p.stop());
cost['fold.live'] = live - cost['read'];
cost['fold.alerts'] = await perThousand(head / 1_000, () => createAlertFold({ allowedLatenessMs: policy.allowedLatenessMs }), (fold) => {
  for (const raw of recorded) {
    const e = upcastEvent(raw);
    if (e !== undefined) fold.apply(e);
  }
});
const handoff = await perThousand(head / 1_000, () => new Worker("require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m.length))", { eval: true }), async (w) => {
  let received = 0;
  const all = new Promise<void>((resolve) => w.on('message', (n: number) => (received += n) === recorded.length && resolve()));
  for (let i = 0; i < recorded.length; i += 1_000) w.postMessage(recorded.slice(i, i + 1_000));
  await all;
}, (w) => w.terminate());
await ledger.close();
rmSync(dir, { recursive: true, force: true });

// The floor: parse the frame, hash the event's bytes, write the event out.
const bytes = recorded.map((e) => Buffer.from(canonicalEventBytes(e)));
const floor = await perThousand(head / 1_000, () => undefined, () => {
  for (let i = 0; i < recorded.length; i++) {
    JSON.parse(frames[i % frames.length]!);
    hash('sha256', bytes[i]!, 'buffer');
    JSON.stringify(recorded[i]);
  }
});

const total = Object.values(cost).reduce((a, b) => a + b, 0);
const perThousandCpuMs = Object.fromEntries(Object.entries(cost).map(([k, v]) => [k, Number((v / 1_000).toFixed(2))]));
process.stderr.write(`stages: ${trades} trades over ${SYMBOLS} symbols (frames: ${wire.from}), median of ${ROUNDS} rounds, CPU-ms per 1,000 events: ${Object.entries(perThousandCpuMs).map(([k, v]) => `${k} ${v}`).join(', ')}; total ${(total / 1_000).toFixed(2)}; handoff to a worker ${(handoff / 1_000).toFixed(2)}; floor ${(floor / 1_000).toFixed(2)}\n`);
console.log(JSON.stringify({
  bench: 'stages',
  value: Math.round(1e9 / total),
  unit: 'events/s one core sustains through every stage (decode … fold)',
  baseline: Math.round(1e9 / floor),
  ratio: Number((floor / total).toFixed(3)),
  trades,
  symbols: SYMBOLS,
  perThousandCpuMs,
  totalCpuMsPerThousand: Number((total / 1_000).toFixed(2)),
  handoffToWorkerCpuMsPerThousand: Number((handoff / 1_000).toFixed(2)),
  frames: wire.from,
  baselineUnit: 'events/s of JSON.parse of the frame + SHA-256 of the canonical bytes + JSON.stringify of the event',
}));
