/**
 * verify: (1) full verification of an embedded ledger of BENCH_TRADES trades (every leaf
 * recomputed from the stored bytes, the tree rebuilt and checked against the stored subtree roots,
 * every checkpoint's root and signature) in events/s, against SHA-256 of the same canonical bytes
 * alone, one hash per event, in the same run (goal ≥ 0.5); (2) p50/p99 of
 * GET /api/v1/ledger/proofs/inclusion at a fixed 1,000 requests/s over HTTP, each request a random
 * position (goal p99 ≤ 5 ms), beside a bare Fastify route's p99 at the same rate. Both servers run
 * in processes of their own (bench/support/apiServer.ts).
 *
 * Verification is timed as `tickvault verify` runs it: the ledger opened alone once the platform
 * that wrote it has closed (timed inside the writing platform, it shared the thread with the live
 * projections still folding the same events). Beside the baseline, `treeHashesAlone` is the rate
 * of the hashing a full verification cannot skip, over the same bytes: every leaf plus the n - 1
 * interior nodes of the tree. Each is one SHA-256 call, so it is about half the baseline's rate:
 * the ceiling of any single-threaded verification, before reading a byte.
 */
import { hash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { DEFAULT_CONFIG } from '../src/app/config.js';
import { openPlatform } from '../src/app/platform.js';
import { openProfileLedger } from '../src/app/profiles/profileLedger.js';
import { leafHash } from '../src/adapters/ledger/merkle/rfc6962.js';
import { createTreeFrontier } from '../src/adapters/ledger/merkle/treeFrontier.js';
import { canonicalEventBytes } from '../src/domain/events/canonical.js';
import type { Ledger } from '../src/domain/ports.js';
import { load, startServer, stopServer } from './support/benchServer.js';
import { simulatedBatches } from './support/simulatedTrades.js';

const TRADES = Number(process.env['BENCH_TRADES'] ?? 500_000);
const DURATION_S = Number(process.env['BENCH_DURATION_S'] ?? 10);
const PROOF_RATE = 1_000;
const origin = { actor: 'bench', correlationId: 'bench', source: 'simulator' };

/** The canonical bytes of every stored event, read before the clock starts: the baseline hashes only. */
const canonicalBytesOfAll = async (ledger: Ledger): Promise<Buffer[]> => {
  const all: Buffer[] = [];
  for (let after = 0; ; ) {
    const page = await ledger.read(after, 10_000);
    if (page.length === 0) return all;
    for (const e of page) all.push(Buffer.from(canonicalEventBytes(e)));
    after = page[page.length - 1]!.position;
  }
};

const sha256Alone = (bytes: readonly Buffer[]): number => {
  const t0 = performance.now();
  // One call per event, the cheapest way Node has to SHA-256 a buffer.
  for (const b of bytes) hash('sha256', b, 'buffer');
  return (performance.now() - t0) / 1000;
};

/** Seconds to hash every leaf and build the tree over them: the hashing verification cannot skip. */
const treeHashesAlone = (bytes: readonly Buffer[]): number => {
  const t0 = performance.now();
  const tree = createTreeFrontier();
  for (const b of bytes) tree.append(leafHash(b));
  tree.root();
  return (performance.now() - t0) / 1000;
};

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tv-bench-verify-'));
try {
  const batches = await simulatedBatches({ seed: 11, symbols: 100, trades: TRADES, batchSize: 1_000 });
  const config = { ...DEFAULT_CONFIG, dataDir, source: 'none' as const, batchIntervalMs: 3_600_000 };
  const platform = await openPlatform({ config, logger: pino({ level: 'silent' }) });
  for (const items of batches) await platform.commands.recordObservations({ origin, items });
  await platform.close();

  const ledger = await openProfileLedger(config);
  const events = (await ledger.head()).position;
  const t0 = performance.now();
  const verified = await ledger.verify();
  const verifySeconds = (performance.now() - t0) / 1000;
  if (!verified.ok) throw new Error(`verify: the bench's own ledger failed verification at ${verified.position}: ${verified.reason}`);
  const bytes = await canonicalBytesOfAll(ledger);
  await ledger.close();
  const shaSeconds = sha256Alone(bytes);
  const treeSeconds = treeHashesAlone(bytes);
  const meanBytes = bytes.reduce((a, b) => a + b.length, 0) / bytes.length;

  const served = await startServer('existing', dataDir);
  const proofs = await load(`http://127.0.0.1:${served.port}/api/v1/ledger/proofs/inclusion?position=1`, {
    durationS: DURATION_S,
    connections: 10,
    overallRate: PROOF_RATE,
    headers: served.headers,
    nextPath: () => `/api/v1/ledger/proofs/inclusion?position=${1 + Math.floor(Math.random() * events)}`,
  });
  await stopServer(served.child);
  const bare = await startServer('bare', dataDir);
  const bareLoad = await load(`http://127.0.0.1:${bare.port}/bare`, { durationS: DURATION_S, connections: 10, overallRate: PROOF_RATE });
  await stopServer(bare.child);

  const value = events / verifySeconds;
  const baseline = events / shaSeconds;
  const errors = proofs.errors + bareLoad.errors;
  if (errors > 0) process.stderr.write(`verify: ${errors} failed or non-2xx responses: the proof figures are suspect\n`);
  process.stderr.write(`verify: ${events} events (${meanBytes.toFixed(0)} canonical bytes each) verified in ${verifySeconds.toFixed(2)} s, SHA-256 alone ${shaSeconds.toFixed(2)} s, leaves and tree nodes alone ${treeSeconds.toFixed(2)} s; inclusion proof at ${PROOF_RATE}/s p50 ${proofs.p50} ms p99 ${proofs.p99} ms, bare route p99 ${bareLoad.p99} ms\n`);
  console.log(JSON.stringify({
    bench: 'verify',
    value: Math.round(value),
    unit: 'events/s (full ledger verification: leaves, tree, checkpoints)',
    baseline: Math.round(baseline),
    ratio: Number((value / baseline).toFixed(3)),
    goalRatio: 0.5,
    events,
    meanCanonicalBytes: Math.round(meanBytes),
    treeHashesAlone: Math.round(events / treeSeconds),
    treeHashesAloneRatio: Number((shaSeconds / treeSeconds).toFixed(3)),
    lastCheckpointVerified: verified.checkpoint?.size ?? 0,
    proofRatePerSec: PROOF_RATE,
    proofP50Ms: proofs.p50,
    proofP99Ms: proofs.p99,
    goalProofP99Ms: 5,
    bareP99MsAtSameRate: bareLoad.p99,
    errors,
    baselineUnit: 'events/s of SHA-256 over the same canonical bytes alone',
    treeHashesAloneUnit: 'events/s of the leaf and interior-node hashes alone over the same bytes (the ratio a verification doing nothing else would reach)',
  }));
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
