/**
 * Child process for the crash test: runs the platform (settings from the JSON argument, embedded
 * by default) with projections on and feeds it simulator trades as fast as it can, printing
 * `ack <position> <lastTradeKey>` after every batch the ledger acknowledged. The parent kills it
 * with SIGKILL at random moments.
 */
import pino from 'pino';
import { DEFAULT_CONFIG, type Config } from '../../src/app/config.js';
import { openPlatform } from '../../src/app/platform.js';
import { createSimulatorSource } from '../../src/adapters/sources/simulator/simulatorSource.js';
import { tradeKey } from '../../src/domain/folds/corrections.js';
import type { TradeData } from '../../src/domain/events/market.js';

const [dataDir, seed, settings] = process.argv.slice(2);
const platform = await openPlatform({
  config: { ...DEFAULT_CONFIG, dataDir: dataDir!, source: 'none', batchIntervalMs: 30, symbols: 8, ...(JSON.parse(settings ?? '{}') as Partial<Config>) },
  logger: pino({ level: 'silent' }),
});
const source = createSimulatorSource({ seed: Number(seed), symbols: 8, tradesPerSecond: 2_000, startTime: Date.UTC(2024, 0, 1) + Number(seed) * 3_600_000, realtime: false, maxTrades: 400_000, batchSize: 500 });
process.stdout.write('ready\n');
await source.run(async (b) => {
  const r = await platform.commands.recordObservations({ origin: { actor: 'crash-test', correlationId: 'x', source: 'simulator' }, items: b.items });
  const last = b.items[b.items.length - 1];
  if (last?.kind === 'trade') process.stdout.write(`ack ${r.lastPosition} ${tradeKey(last.data as TradeData)}\n`);
}, new AbortController().signal);
process.stdout.write('finished\n');
await platform.close();
