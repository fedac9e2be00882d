/**
 * The server side of `npm run bench -- api`, in its own process so the load generator does not
 * share its event loop. `bare`: one Fastify route returning a fixed small object (the
 * baseline). `platform`: the real API on the embedded profile, loaded with a simulated day of
 * trades for 8 symbols, batch views built, the last hour in the speed layer. The bare server
 * also serves `/bare-day`: a day of 1m candles serialised once at start, the size of the OHLCV
 * answer, so the OHLCV figures can be read beside the cost of moving that many bytes.
 * `platform cluster` runs the same on the cluster profile against the local stack (PostgreSQL
 * ledger, Redis live views, HBase batch views), with state of its own dropped on SIGTERM.
 * Prints `ready <port>` on stdout when it serves (the platform: `ready <port> <key>`, a viewer key
 * every request carries, as on the cluster profile it must; its rate limit is set out of reach, as
 * these runs measure the API's own throughput). `existing` serves the embedded profile over a data
 * folder already written (by the verify bench), loading nothing more.
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

const [mode, dataDir, profile] = process.argv.slice(2);

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
  const config = profile === 'cluster'
    ? benchClusterConfig(`bench_api_${randomUUID().slice(0, 8)}`, dir)
    : { ...DEFAULT_CONFIG, dataDir: dir, source: 'none' as const, batchIntervalMs: 3_600_000 };
  const platform = await openPlatform({ config: { ...config, rateLimit: 1_000_000_000 }, logger: pino({ level: 'silent' }) });
  if (mode === 'existing') await settle(platform);
  else await loadSimulatedDay(platform);
  const app = await buildServer(platform, { logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.once('SIGTERM', () => {
    void (async () => {
      await app.close();
      await platform.close();
      if (profile === 'cluster') await dropClusterState(config);
      process.exit(0);
    })();
  });
  // Proofs (the verify bench's `existing` server) are for compliance keys; the rest a viewer may read.
  const { key } = await platform.keys.issue({ name: 'bench', role: mode === 'existing' ? 'compliance' : 'viewer' }, { actor: 'bench', correlationId: 'bench', source: 'bench' });
  return `${(app.server.address() as { port: number }).port} ${key}`;
};

const ready = mode === 'bare' ? String(await serveBare()) : await servePlatform(dataDir ?? '.data-bench');
process.stdout.write(`ready ${ready}\n`);
