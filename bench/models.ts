/**
 * `npm run bench -- models`: (1) training time per model per engine on the shared data (Binance
 * futures 1m klines of 1-26 February 2023, BTC-USDT, read as 1h feature rows): return regression (GBT)
 * at 1h and 24h, trend classification (random forest) at 1h, each through the job queue as the
 * platform trains, on the embedded engine, then on Spark when the local stack's Spark and HDFS are up
 * (the cluster profile's Spark model engine, given the same spec and feature rows as the embedded one);
 * (2) p50/p99 of POST /api/v1/predictions at a fixed 200 requests/s, open loop (goal p99 ≤ 20 ms),
 * beside GET /api/v1/realtime/BTC-USDT at the same rate on the same server in the same run (the
 * baseline). The server runs in a process of its own (bench/support/apiServer.ts, mode `models`).
 * Beside them, the floor under any recorded answer on this disk: a bare durable append of one
 * PredictionMade to a fresh SQLite ledger at the same rate (bench/support/durableAppends.ts).
 * Last line: {"bench":"models","value":<prediction p99 ms>,"unit":"ms","baseline":<realtime p99 ms>,"ratio",...}.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createReplaySource } from '../src/adapters/sources/replay/replaySource.js';
import { DEFAULT_CONFIG } from '../src/app/config.js';
import type { ModelTrainedData, PredictionMadeData } from '../src/domain/events/models.js';
import type { ModelSpec } from '../src/domain/models/index.js';
import { MODEL_TRAINING_QUEUE } from '../src/app/models.js';
import { openPlatform } from '../src/app/platform.js';
import { sharedDataDir } from '../test/support/sharedData.js';
import { probe, startServer, stopServer } from './support/benchServer.js';
import { stackSparkModelEngine } from './support/stackSparkModelEngine.js';
import { modelsBenchClock } from './support/modelsBenchClock.js';
import { durableAppends } from './support/durableAppends.js';
import { openLoop, percentile, round } from './support/openLoop.js';

const RATE = Number(process.env['BENCH_RATE'] ?? 200);
const DURATION_S = Number(process.env['BENCH_DURATION_S'] ?? 20);
const KLINES = path.join(sharedDataDir, 'binance-futures-klines-1m-2023-02');
const origin = { actor: 'bench', correlationId: 'bench-models', source: 'bench' };

const MODELS = [
  { symbol: 'BTC-USDT', horizon: '1h', kind: 'return-regression' },
  { symbol: 'BTC-USDT', horizon: '24h', kind: 'return-regression' },
  { symbol: 'BTC-USDT', horizon: '1h', kind: 'trend-classification' },
] as const;

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tv-bench-models-'));
try {
  // What had happened by the bench's clock (27 February, 00:05): the 26 days before.
  const files = readdirSync(KLINES).filter((f) => /^BTCUSDT-1m-2023-02-(0\d|1\d|2[0-6])\.csv$/.test(f)).sort().map((f) => path.join(KLINES, f));
  if (files.length < 26) throw new Error(`${KLINES} holds ${files.length} of the daily BTCUSDT files of 1-26 February 2023 the bench needs (../shared/data)`);
  const platform = await openPlatform({
    config: { ...DEFAULT_CONFIG, dataDir, source: 'none', batchIntervalMs: 3_600_000 },
    logger: pino({ level: 'silent' }),
    clock: modelsBenchClock(),
    runProjections: true,
  });
  const training: Array<{ model: string; engine: string; seconds: number; usableRows: number; skill: number | null; beatsNaive: boolean }> = [];
  let sparkTraining = 'timed (see training)';
  try {
    await platform.ingest(createReplaySource({ files, speed: 0 }), new AbortController().signal);
    await platform.batchProjector.runOnce();
    const trainedSpecs: Array<{ modelId: string; spec: ModelSpec; from: number; to: number }> = [];
    for (const engine of ['embedded']) {
      for (const m of MODELS) {
        const started = performance.now();
        const { trainingId, modelId } = await platform.models.train({ ...m, from: '2023-02-02T00:00:00Z', to: '2023-02-26T00:00:00Z', seed: 1, engine }, origin);
        await platform.jobs.drain(MODEL_TRAINING_QUEUE);
        const seconds = (performance.now() - started) / 1_000;
        const status = await platform.models.training(trainingId);
        if (status.status !== 'completed') throw new Error(`training ${modelId} on ${engine}: ${status.status} ${status.error ?? ''}`);
        const detail = (await platform.models.get(modelId, false)) as { versions: Array<{ version: number; skill: number | null; beatsNaive: boolean; rows: { usable: number } }> };
        const v = detail.versions[status.version! - 1]!;
        training.push({ model: modelId, engine, seconds: Number(seconds.toFixed(2)), usableRows: v.rows.usable, skill: v.skill, beatsNaive: v.beatsNaive });
        process.stderr.write(`models: trained ${modelId} on ${engine} in ${seconds.toFixed(2)} s (${v.rows.usable} rows, skill ${v.skill})\n`);
        if (m.horizon === '1h' && m.kind === 'return-regression') await platform.models.setAlias({ modelId, alias: 'champion', version: v.version, reason: 'bench' }, origin);
        const recorded = (await platform.ledger.readTypes(0, ['ModelTrained'], 1_000)).map((e) => e.data as ModelTrainedData).find((d) => d.modelId === modelId && d.version === v.version)!;
        trainedSpecs.push({ modelId, spec: recorded.spec as unknown as ModelSpec, ...recorded.requestedRange });
      }
    }
    // The same specs (features as the embedded training chose them) on the same feature rows, on Spark.
    const spark = stackSparkModelEngine();
    if ('missing' in spark) sparkTraining = `not timed: ${spark.missing}`;
    else {
      try {
        for (const t of trainedSpecs) {
          const { rows } = await platform.queries.features({ symbol: 'BTC-USDT', interval: t.spec.interval, from: t.from, to: t.to });
          const started = performance.now();
          const trained = await spark.engine.train(t.spec, { symbol: 'BTC-USDT', from: t.from, to: t.to, rows });
          const seconds = (performance.now() - started) / 1_000;
          const skill = trained.report.skill;
          training.push({ model: t.modelId, engine: 'spark', seconds: Number(seconds.toFixed(2)), usableRows: trained.report.usableRows, skill, beatsNaive: trained.report.beatsNaive });
          process.stderr.write(`models: trained ${t.modelId} on spark in ${seconds.toFixed(2)} s (${trained.report.usableRows} rows, skill ${skill})\n`);
        }
      } catch (e) {
        // The stack's endpoints file can outlive its servers: say so in the result, keep the prediction figures.
        sparkTraining = `not timed: training on the stack's Spark failed (${e instanceof Error ? e.message : String(e)}); is the stack up? npm run stack -- up`;
        process.stderr.write(`models: ${sparkTraining}\n`);
      }
    }
  } finally {
    await platform.close();
  }

  const server = await startServer('models', dataDir);
  try {
    const base = `http://127.0.0.1:${server.port}`;
    const post = { url: new URL('/api/v1/predictions', base), headers: server.headers, method: 'POST' as const, body: JSON.stringify({ symbol: 'BTC-USDT', horizon: '1h' }) };
    const realtime = { url: new URL('/api/v1/realtime/BTC-USDT', base), headers: server.headers };
    // A short warm-up of each route (JIT, caches), not counted.
    await openLoop({ rate: RATE, durationS: 2, targets: [post] });
    await openLoop({ rate: RATE, durationS: 2, targets: [realtime] });
    const figures = (r: Awaited<ReturnType<typeof openLoop>>) => ({
      p50: percentile(r.latencyMs, 50),
      p99: percentile(r.latencyMs, 99),
      errors: Array.from(r.status).filter((s) => s < 200 || s >= 300).length,
      sent: r.sent,
    });
    // What the server saw of each phase (serverProbe.ts): how long tasks held its event loop, its
    // GC pauses and the route handler's own time, to tell a stall of the server from the machine's.
    const measured = async (target: typeof post | typeof realtime) => {
      await probe(server.child, 'reset');
      const loop = await openLoop({ rate: RATE, durationS: DURATION_S, targets: [target] });
      const seen = await probe(server.child, 'stats');
      return { ...figures(loop), server: { loopDelayP99Ms: seen.eventLoopDelay.p99, loopDelayMaxMs: seen.eventLoopDelay.max, gcMaxMs: round(seen.gc.maxMs), gcMajor: seen.gc.major, handlerP99Ms: seen.stages.handler.p99 } };
    };
    const predictions = await measured(post);
    const baseline = await measured(realtime);
    // One prediction as recorded (a real PredictionMade's data) for the durable-append floor.
    const answer = (await (await fetch(post.url, { method: 'POST', headers: { ...server.headers, 'content-type': 'application/json' }, body: post.body })).json()) as PredictionMadeData & { recorded?: unknown; position?: unknown };
    const { recorded: _recorded, position: _position, ...made } = answer;
    const appends = await durableAppends({ rate: RATE, durationS: DURATION_S, data: made });
    const floor = { p50: percentile(appends, 50), p99: percentile(appends, 99) };
    process.stderr.write(`models: POST /api/v1/predictions at ${RATE}/s open loop: p50 ${predictions.p50.toFixed(2)} ms, p99 ${predictions.p99.toFixed(2)} ms, errors ${predictions.errors}/${predictions.sent}; GET /api/v1/realtime p99 ${baseline.p99.toFixed(2)} ms, errors ${baseline.errors}/${baseline.sent}; a bare durable ledger append p50 ${floor.p50.toFixed(2)} ms, p99 ${floor.p99.toFixed(2)} ms\n`);
    process.stdout.write(
      `${JSON.stringify({
        bench: 'models',
        value: round(predictions.p99),
        unit: 'ms',
        baseline: round(baseline.p99),
        ratio: round(predictions.p99 / baseline.p99, 3),
        goalP99Ms: 20,
        rate: RATE,
        durationS: DURATION_S,
        predictionP50Ms: round(predictions.p50),
        predictionErrors: predictions.errors,
        realtimeP50Ms: round(baseline.p50),
        realtimeErrors: baseline.errors,
        durableAppendP50Ms: round(floor.p50),
        durableAppendP99Ms: round(floor.p99),
        // Runnable processes per core averaged over the last minute: above 1, every figure here includes waiting for a core.
        loadPerCore: round(os.loadavg()[0]! / os.availableParallelism()),
        predictionServer: predictions.server,
        realtimeServer: baseline.server,
        training,
        spark: sparkTraining,
      })}\n`,
    );
  } finally {
    await stopServer(server.child);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
