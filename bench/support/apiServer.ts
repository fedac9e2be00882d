/**
 * The server side of `npm run bench -- api`, in its own process so the load generator does not
 * share its event loop. `bare`: one Fastify route returning a fixed small object (the
 * baseline). `platform`: the real API on the embedded profile, loaded with a simulated day of
 * trades for 8 symbols, batch views built, the last hour in the speed layer. The bare server
 * also serves `/bare-day`: a day of 1m candles serialised once at start, the size of the OHLCV
 * answer, so the OHLCV figures can be read beside the cost of moving that many bytes.
 * `platform cluster` runs the same on the cluster profile against the local stack (PostgreSQL
 * ledger, Redis live views, HBase batch views), with state of its own dropped on SIGTERM.
 * Prints `ready <port>` on stdout when it serves; the platform: `ready <port> <keys> <name>`, the
 * viewer keys (comma-separated, BENCH_KEYS of them, default 64) the bench's requests carry, as on
 * the cluster profile they must, and the cluster state's name. The rate limiter is on at its
 * default (1,000 requests/s per key): a full-load run spreads its requests over the keys, as many
 * clients would. `join <dir> cluster <name>` serves the API of a cluster platform another process
 * of `platform` mode opened (a second API process: same ledger, Redis and rate-limit counters; no
 * projections, no data loaded). `existing` serves the embedded profile over a data folder already
 * written (by the verify bench), loading nothing more, its rate limit out of reach (that bench
 * measures proofs); `models` does the same over the models bench's folder (real klines of
 * February 2023, a champion promoted) with the clock started at MODELS_BENCH_NOW and advancing in real time and one trader's key,
 * so POST /api/v1/predictions has a latest bar to predict from. Every server answers the bench's
 * IPC probe (serverProbe.ts).
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import pino from 'pino';
import { createSimulatorSource } from '../../src/adapters/sources/simulator/simulatorSource.js';
import { buildServer } from '../../src/adapters/http/server.js';
import { DEFAULT_CONFIG } from '../../src/app/config.js';
import { openPlatform, type Platform } from '../../src/app/platform.js';
import { dropClusterState } from '../../test/support/clusterProfile.js';
import { benchClusterConfig } from './clusterConfig.js';
import { modelsBenchClock } from './modelsBenchClock.js';
import { installServerProbe } from './serverProbe.js';

const [mode, dataDir, profile, joinName] = process.argv.slice(2);
const KEYS = Number(process.env['BENCH_KEYS'] ?? 64);

const serveBare = async (): Promise<number> => {
  const app = Fastify();
  app.get('/bare', async () => ({ symbol: 'BTC-USDT', price: '42000.12', eventTime: 1_704_067_200_000 }));
  const day = Buffer.from(JSON.stringify({
    symbol: 'BTC-USDT',
    interval: '1m',
    candles: Array.from({ length: 1_440 }, (_, i) => ({
      time: 1_704_067_200_000 + i * 60_000,
      open: 42_000.12 + i / 7,
      high: 42_010.5 + i / 7,
      low: 41_990.25 + i / 7,
      close: 42_001.75 + i / 7,
      volume: 12.345678901 + i / 1_000,
      quoteVolume: 518_518.123456789 + i,
      vwap: 42_001.123456789 + i / 7,
      trades: 57 + (i % 13),
    })),
  }));
  app.get('/bare-day', async (_req, reply) => reply.type('application/json; charset=utf-8').send(day));
  installServerProbe(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as { port: number }).port;
};

const loadSimulatedDay = async (platform: Platform): Promise<void> => {
  const now = Date.now();
  // One day of event time ending now: 8 symbols × 2 exchanges, about 2 trades a second.
  const source = createSimulatorSource({ seed: 5, symbols: 8, tradesPerSecond: 2, startTime: now - 86_400_000, realtime: false, maxTrades: 172_000 });
  await platform.ingest(source, new AbortController().signal);
  await settle(platform);
};

/** Every follower through the ledger's head, so what is measured is not competing with a catch-up. */
const settle = async (platform: Platform): Promise<void> => {
  const head = (await platform.ledger.head()).position;
  await Promise.all([platform.liveProjection.waitFor(head), platform.alertEngine.waitFor(head), platform.alertFeed.waitFor(head)]);
  await platform.batchProjector.runThrough(head);
};

const servePlatform = async (dir: string): Promise<string> => {
  const name = joinName ?? `bench_api_${randomUUID().slice(0, 8)}`;
  const config = profile === 'cluster'
    ? benchClusterConfig(name, dir)
    : { ...DEFAULT_CONFIG, dataDir: dir, source: 'none' as const, batchIntervalMs: 3_600_000 };
  const joining = mode === 'join';
  const existing = mode === 'existing' || mode === 'models';
  const platform = await openPlatform({
    config: existing ? { ...config, rateLimit: 1_000_000_000 } : config,
    logger: pino({ level: 'silent' }),
    ...(joining ? { runProjections: false } : {}),
    ...(mode === 'models' ? { clock: modelsBenchClock() } : {}),
  });
  if (existing) await settle(platform);
  else if (!joining) await loadSimulatedDay(platform);
  const app = await buildServer(platform, { logger: false });
  installServerProbe(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.once('SIGTERM', () => {
    void (async () => {
      await app.close();
      await platform.close();
      // The process that made the cluster state drops it; a joined one leaves it to that one.
      if (profile === 'cluster' && !joining) await dropClusterState(config);
      process.exit(0);
    })();
  });
  const port = (app.server.address() as { port: number }).port;
  if (joining) return `${port} - ${name}`;
  // Proofs (the verify bench's `existing` server) are for compliance keys; the rest a viewer may read.
  const role = mode === 'existing' ? 'compliance' : mode === 'models' ? 'trader' : 'viewer';
  const keys: string[] = [];
  for (let i = 0; i < (existing ? 1 : KEYS); i++) {
    keys.push((await platform.keys.issue({ name: `bench ${i}`, role }, { actor: 'bench', correlationId: 'bench', source: 'bench' })).key);
  }
  return `${port} ${keys.join(',')} ${name}`;
};

if (mode === 'join' && (profile !== 'cluster' || joinName === undefined)) throw new Error('join serves a cluster platform: join <dir> cluster <name>');
const ready = mode === 'bare' ? String(await serveBare()) : await servePlatform(dataDir ?? '.data-bench');
process.stdout.write(`ready ${ready}\n`);
