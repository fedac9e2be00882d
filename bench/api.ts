/**
 * api: requests/s and latency of the HTTP API under autocannon, each server in its own process.
 *   - realtime: GET /api/v1/realtime/BTC-USDT at full load (50 connections, 10 s), and its p99
 *     at a fixed 1,000 requests/s;
 *   - ohlcv: GET /api/v1/ohlcv/BTC-USDT?interval=1m over the last day (1,440 candles merged from
 *     the batch and speed layers) at full load;
 *   - baseline in the same run: a bare Fastify route returning a small fixed object; beside the
 *     OHLCV figures, a bare route returning a fixed body the size of a day of 1m candles (what
 *     moving those bytes costs on this machine, whatever the query does).
 * value = realtime requests/s; ratio = realtime / bare (goal ≥ 0.5; p99 ≤ 10 ms at 1,000/s).
 * `-- --profile cluster` serves from the cluster profile against the local stack instead of the
 * embedded default (`npm run stack -- up` first).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load as loadOf, startServer, stopServer, type LoadOptions } from './support/benchServer.js';

const DURATION_S = Number(process.env['BENCH_DURATION_S'] ?? 10);
const profileFlag = process.argv.indexOf('--profile');
const PROFILE = profileFlag === -1 ? 'embedded' : process.argv[profileFlag + 1];
if (PROFILE !== 'embedded' && PROFILE !== 'cluster') {
  process.stderr.write(`api: --profile must be embedded or cluster, got ${PROFILE}\n`);
  process.exit(2);
}

const load = (url: string, over: Omit<LoadOptions, 'durationS'> = {}) => loadOf(url, { durationS: DURATION_S, ...over });

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tv-bench-api-'));
try {
  const bare = await startServer('bare', dataDir);
  const bareLoad = await load(`http://127.0.0.1:${bare.port}/bare`);
  const bareDay = await load(`http://127.0.0.1:${bare.port}/bare-day`, { connections: 10 });
  const bareDayAt1000 = await load(`http://127.0.0.1:${bare.port}/bare-day`, { connections: 10, overallRate: 1_000 });
  await stopServer(bare.child);

  process.stderr.write(`api: loading a simulated day into the platform (${PROFILE} profile)...\n`);
  const platform = await startServer('platform', dataDir, PROFILE);
  const base = `http://127.0.0.1:${platform.port}`;
  const { headers } = platform;
  const realtime = await load(`${base}/api/v1/realtime/BTC-USDT`, { headers });
  const realtimeAt1000 = await load(`${base}/api/v1/realtime/BTC-USDT`, { connections: 10, overallRate: 1_000, headers });
  const from = new Date(Date.now() - 86_400_000).toISOString();
  const ohlcv = await load(`${base}/api/v1/ohlcv/BTC-USDT?interval=1m&from=${encodeURIComponent(from)}`, { connections: 10, headers });
  const ohlcvAt1000 = await load(`${base}/api/v1/ohlcv/BTC-USDT?interval=1m&from=${encodeURIComponent(from)}`, { connections: 10, overallRate: 1_000, headers });
  await stopServer(platform.child);

  const errors = bareLoad.errors + bareDay.errors + bareDayAt1000.errors + realtime.errors + realtimeAt1000.errors + ohlcv.errors + ohlcvAt1000.errors;
  if (errors > 0) process.stderr.write(`api: ${errors} failed or non-2xx responses: the figures below are suspect\n`);
  process.stderr.write(`api (${PROFILE}): bare ${Math.round(bareLoad.rps)}/s, realtime ${Math.round(realtime.rps)}/s (p99 ${realtimeAt1000.p99} ms at 1000/s), ohlcv 1d of 1m ${Math.round(ohlcv.rps)}/s (p99 ${ohlcvAt1000.p99} ms at 1000/s); bare day-sized body ${Math.round(bareDay.rps)}/s (p99 ${bareDayAt1000.p99} ms at 1000/s)\n`);
  console.log(JSON.stringify({
    bench: 'api',
    profile: PROFILE,
    value: Math.round(realtime.rps),
    unit: 'requests/s (GET /api/v1/realtime)',
    baseline: Math.round(bareLoad.rps),
    ratio: Number((realtime.rps / bareLoad.rps).toFixed(3)),
    realtimeP99MsAt1000: realtimeAt1000.p99,
    realtimeP50MsAt1000: realtimeAt1000.p50,
    ohlcvDay1mRps: Math.round(ohlcv.rps),
    ohlcvDay1mP99MsAt1000: ohlcvAt1000.p99,
    ohlcvDay1mP50MsAt1000: ohlcvAt1000.p50,
    bareDayBodyRps: Math.round(bareDay.rps),
    bareDayBodyP99MsAt1000: bareDayAt1000.p99,
    errors,
    baselineUnit: 'requests/s of a bare Fastify route',
  }));
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
