/**
 * What each source follows of --symbols: its own part, else the symbols given for everyone, else
 * all-usdt/all-usd, else its defaults; and the sources that cannot follow what was asked say so.
 */
import { describe, expect, it } from 'vitest';
import { sourceFromConfig, symbolsFor } from '../../src/app/sources.js';
import { DEFAULT_CONFIG } from '../../src/app/config.js';

describe('symbolsFor', () => {
  it('gives each exchange its own part, the shared symbols to the others, and defaults where nothing is given', () => {
    const given = { symbols: ['okx:BTC-USDT', 'okx:ETH-USDT', 'kraken:all-usd', 'SOL-USDT'] };
    expect(symbolsFor(given, 'okx')).toEqual(['BTC-USDT', 'ETH-USDT']);
    expect(symbolsFor(given, 'kraken')).toBe('all-usd');
    expect(symbolsFor(given, 'bybit')).toEqual(['SOL-USDT']);
    expect(symbolsFor({ symbols: ['okx:BTC-USDT'] }, 'bitfinex')).toEqual(['BTC-USD', 'ETH-USD']);
    expect(symbolsFor({ symbols: 'all-usdt' }, 'bybit')).toBe('all-usdt');
    expect(symbolsFor({ symbols: 24 }, 'gemini')).toEqual(['BTC-USD', 'ETH-USD']);
  });
});

describe('sourceFromConfig', () => {
  const config = (source: string, symbols: typeof DEFAULT_CONFIG.symbols): typeof DEFAULT_CONFIG => ({ ...DEFAULT_CONFIG, source, symbols });

  it('refuses all-usd for Binance (it quotes in USDT) and all-usd(t) for Coinbase, saying what to give', () => {
    expect(() => sourceFromConfig(config('binance', 'all-usd'), 0)).toThrow(/Binance spot quotes in USDT, not USD; use all-usdt/);
    expect(() => sourceFromConfig(config('coinbase', ['coinbase:all-usdt']), 0)).toThrow(/all-usdt is not supported for Coinbase; give Coinbase products as a list/);
  });

  it('makes one source per named exchange, named after it', () => {
    expect(sourceFromConfig(config('kraken,okx', ['kraken:BTC-USD', 'okx:BTC-USDT']), 0)?.name).toMatch(/kraken.*okx/);
  });
});
