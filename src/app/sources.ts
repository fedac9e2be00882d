/** Turns the configured source(s) into one MarketSource, and files to import into a resumable replay. */
import path from 'node:path';
import { createBinanceSource } from '../adapters/sources/binance/binanceSource.js';
import { createBitfinexSource } from '../adapters/sources/bitfinex/bitfinexSource.js';
import { createBitstampSource } from '../adapters/sources/bitstamp/bitstampSource.js';
import { createBybitSource } from '../adapters/sources/bybit/bybitSource.js';
import { createCoinbaseSource } from '../adapters/sources/coinbase/coinbaseSource.js';
import { createGeminiSource } from '../adapters/sources/gemini/geminiSource.js';
import { createKrakenSource } from '../adapters/sources/kraken/krakenSource.js';
import { createOkxSource } from '../adapters/sources/okx/okxSource.js';
import type { Channel, LiveSourceOptions, SymbolChoice } from '../adapters/sources/wire/liveSourceOptions.js';
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
  kraken: ['BTC-USD', 'ETH-USD'],
  bitstamp: ['BTC-USD', 'ETH-USD'],
  gemini: ['BTC-USD', 'ETH-USD'],
  okx: ['BTC-USDT', 'ETH-USDT'],
  bybit: ['BTC-USDT', 'ETH-USDT'],
  bitfinex: ['BTC-USD', 'ETH-USD'],
};

/**
 * What `source` follows: its own part of --symbols (`okx:BTC-USDT,ETH-USDT`), else the symbols
 * given without an exchange, else all-usdt/all-usd, else its defaults.
 */
export const symbolsFor = (config: Pick<Config, 'symbols'>, source: string): SymbolChoice => {
  const given = config.symbols;
  if (given === 'all-usdt' || given === 'all-usd') return given;
  if (!Array.isArray(given)) return DEFAULT_SYMBOLS[source] ?? [];
  const own = given.filter((s) => s.startsWith(`${source}:`)).map((s) => s.slice(source.length + 1));
  const everyone = given.filter((s) => !s.includes(':'));
  const list = own.length > 0 ? own : everyone.length > 0 ? everyone : (DEFAULT_SYMBOLS[source] ?? []);
  const all = list.find((s) => s === 'all-usdt' || s === 'all-usd');
  return all === 'all-usdt' || all === 'all-usd' ? all : list;
};

const LIVE_SOURCES: Readonly<Record<string, (o: LiveSourceOptions) => MarketSource>> = {
  kraken: createKrakenSource,
  bitstamp: createBitstampSource,
  gemini: createGeminiSource,
  okx: createOkxSource,
  bybit: createBybitSource,
  bitfinex: createBitfinexSource,
};

const one = (config: Config, name: string, now: number, logger: Logger | undefined): MarketSource | undefined => {
  const log = logger === undefined ? undefined : (level: 'info' | 'warn', message: string): void => logger[level](message);
  const withLog = log === undefined ? {} : { log };
  const channels = config.channels.split(',').map((c) => c.trim()) as Channel[];
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
        books: channels.includes('books'),
        events: plannedEventsFor(config.dataDir, symbols, now),
      });
    }
    case 'binance': {
      const symbols = symbolsFor(config, 'binance');
      if (symbols === 'all-usd') throw new Error('--symbols all-usd: Binance spot quotes in USDT, not USD; use all-usdt (binance:all-usdt) or a list');
      return createBinanceSource({ symbols, channels, wsUrl: config.binanceWsUrl, restUrl: config.binanceRestUrl, ...withLog });
    }
    case 'coinbase': {
      const symbols = symbolsFor(config, 'coinbase');
      if (!Array.isArray(symbols)) throw new Error(`--symbols ${String(symbols)} is not supported for Coinbase; give Coinbase products as a list (coinbase:BTC-USD,ETH-USD)`);
      // Coinbase product ids are already BASE-QUOTE (BTC-USD).
      return createCoinbaseSource({ symbols, channels, wsUrl: config.coinbaseWsUrl, restUrl: config.coinbaseRestUrl, ...withLog });
    }
    case 'coingecko':
      return createCoinGeckoSource({
        baseUrl: config.coingeckoUrl,
        ...(Array.isArray(config.symbols) ? { symbols: ((s) => (Array.isArray(s) ? s : []))(symbolsFor(config, 'coingecko')) } : {}),
        intervalMs: config.coingeckoIntervalMs,
        requestsPerMinute: config.coingeckoPerMinute,
        ...withLog,
      });
    case 'sentiment':
      return createSentimentSource({ feed: config.sentimentFeed, ...withLog });
    default: {
      const live = LIVE_SOURCES[name];
      return live === undefined ? undefined : live({ symbols: symbolsFor(config, name), channels, ...withLog });
    }
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
