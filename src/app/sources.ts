/** Turns the configured source into a MarketSource. */
import { createSimulatorSource } from '../adapters/sources/simulator/simulatorSource.js';
import { createReplaySource } from '../adapters/sources/replay/replaySource.js';
import type { MarketSource } from '../domain/ports.js';
import type { Config } from './config.js';

export const sourceFromConfig = (config: Config, now: number): MarketSource | undefined => {
  switch (config.source) {
    case 'none':
      return undefined;
    case 'replay':
      return createReplaySource({ files: config.files, speed: config.speed });
    case 'simulator':
      return createSimulatorSource({
        seed: config.seed,
        symbols: config.symbols,
        tradesPerSecond: config.tradesPerSecond,
        startTime: now,
        realtime: true,
      });
  }
};
