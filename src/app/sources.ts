/** Turns the configured source(s) into one MarketSource, and files to import into a resumable replay. */
import path from 'node:path';
import { createBinanceSource } from '../adapters/sources/binance/binanceSource.js';
import { createCoinbaseSource } from '../adapters/sources/coinbase/coinbaseSource.js';
import { createCoinGeckoSource } from '../adapters/sources/coingecko/coingeckoSource.js';
import { mergeSources } from '../adapters/sources/mergedSource.js';
import { plannedEventsFor } from '../adapters/sources/simulator/firstRunSchedule.js';
import { createSimulatorSource } from '../adapters/sources/simulator/simulatorSource.js';
import { createImportCheckpoints } from '../adapters/sources/replay/importCheckpoints.js';
import { createReplaySource, type ReplaySource } from '../adapters/sources/replay/replaySource.js';
import { createSentimentSource } from '../adapters/sources/sentiment/sentimentSource.js';
import type { MarketSource } from '../domain/ports.js';
import { sourceNames, type Config } from './config.js';
import type { Logger } from 'pino';

/** What a live source follows when --symbols is a count (the simulator's default) rather than a list. */
const DEFAULT_SYMBOLS: Readonly<Record<string, readonly string[]>> = {
  binance: ['BTC-USDT', 'ETH-USDT'],
  coinbase: ['BTC-USD', 'ETH-USD'],
};

const listFor = (config: Config, source: string): readonly string[] | 'all-usdt' =>
  Array.isArray(config.symbols) ? config.symbols : config.symbols === 'all-usdt' ? 'all-usdt' : (DEFAULT_SYMBOLS[source] ?? []);

const one = (config: Config, name: string, now: number, logger: Logger | undefined): MarketSource | undefined => {
  const log = logger === undefined ? undefined : (level: 'info' | 'warn', message: string): void => logger[level](message);
  const withLog = log === undefined ? {} : { log };
  switch (name) {
    case 'replay':
      return createReplaySource({ files: config.files, speed: config.speed });
    case 'simulator': {
      const symbols = typeof config.symbols === 'number' ? config.symbols : 24;
      return createSimulatorSource({
        seed: config.seed,
        symbols,
        tradesPerSecond: config.tradesPerSecond,
        startTime: now,
        realtime: true,
        events: plannedEventsFor(config.dataDir, symbols, now),
      });
    }
    case 'binance':
      return createBinanceSource({ symbols: listFor(config, 'binance'), wsUrl: config.binanceWsUrl, restUrl: config.binanceRestUrl, ...withLog });
    case 'coinbase': {
      const symbols = listFor(config, 'coinbase');
      if (symbols === 'all-usdt') throw new Error('--symbols all-usdt is for Binance; give Coinbase products as a list (BTC-USD,ETH-USD)');
      // Coinbase product ids are already BASE-QUOTE (BTC-USD).
      return createCoinbaseSource({ symbols, wsUrl: config.coinbaseWsUrl, restUrl: config.coinbaseRestUrl, ...withLog });
    }
    case 'coingecko':
      return createCoinGeckoSource({
        baseUrl: config.coingeckoUrl,
        ...(Array.isArray(config.symbols) ? { symbols: config.symbols } : {}),
        intervalMs: config.coingeckoIntervalMs,
        requestsPerMinute: config.coingeckoPerMinute,
        ...withLog,
      });
    case 'sentiment':
      return createSentimentSource({ feed: config.sentimentFeed, ...withLog });
    default:
      return undefined;
  }
};

export const sourceFromConfig = (config: Config, now: number, logger?: Logger): MarketSource | undefined => {
  const sources = sourceNames(config).flatMap((name) => {
    const s = one(config, name, now, logger);
    return s === undefined ? [] : [s];
  });
  return sources.length === 0 ? undefined : mergeSources(sources);
};

/**
 * `tickvault import`: the files replayed as fast as the ledger takes them, resuming past the lines
 * an earlier run imported (per-file checkpoints in `{dataDir}/import-checkpoints.json`, each
 * checked against the ledger with `isStored` before it is trusted).
 */
export const importSource = (options: {
  readonly files: readonly string[];
  readonly dataDir: string;
  readonly isStored: (dedupKey: string) => Promise<boolean>;
}): ReplaySource =>
  createReplaySource({
    files: options.files,
    speed: 0,
    checkpoints: createImportCheckpoints({ file: path.join(options.dataDir, 'import-checkpoints.json'), isStored: options.isStored }),
  });
