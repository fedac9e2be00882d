/**
 * The simulated asset universe: real base assets with plausible early-2024 prices first (so
 * demos show familiar names), then synthetic `SIM0001-USDT`... for universes of 1000+ symbols.
 * Every asset carries what the price and trade models need: a sector (for correlated returns),
 * factor loadings, volatility, activity weight, spread, and tick/lot decimals.
 */
import type { Rng } from '../../../domain/prng.js';

export const SECTORS = ['store-of-value', 'smart-contract', 'exchange', 'payments', 'meme', 'defi', 'layer2', 'infra', 'gaming'] as const;
export type Sector = (typeof SECTORS)[number];

/** [base, price in USDT, sector, annualised volatility] — roughly as of 2024-01-01. */
const REAL_ASSETS: ReadonlyArray<readonly [string, number, Sector, number]> = [
  ['BTC', 42_300, 'store-of-value', 0.5],
  ['ETH', 2_300, 'smart-contract', 0.6],
  ['BNB', 312, 'exchange', 0.6],
  ['SOL', 101, 'smart-contract', 0.95],
  ['XRP', 0.62, 'payments', 0.7],
  ['ADA', 0.59, 'smart-contract', 0.8],
  ['DOGE', 0.09, 'meme', 0.9],
  ['AVAX', 38.5, 'smart-contract', 1.0],
  ['LINK', 15.1, 'infra', 0.85],
  ['DOT', 8.3, 'smart-contract', 0.8],
  ['MATIC', 0.97, 'layer2', 0.85],
  ['TRX', 0.108, 'payments', 0.5],
  ['LTC', 72, 'store-of-value', 0.7],
  ['SHIB', 0.0000105, 'meme', 1.0],
  ['UNI', 6.4, 'defi', 0.9],
  ['ATOM', 10.6, 'smart-contract', 0.85],
  ['BCH', 256, 'store-of-value', 0.8],
  ['XLM', 0.13, 'payments', 0.7],
  ['NEAR', 3.6, 'smart-contract', 1.0],
  ['APT', 9.6, 'smart-contract', 1.0],
  ['FIL', 5.6, 'infra', 0.9],
  ['ARB', 1.6, 'layer2', 1.0],
  ['OP', 3.7, 'layer2', 1.0],
  ['INJ', 38, 'defi', 1.2],
  ['AAVE', 108, 'defi', 0.9],
  ['ICP', 12.5, 'smart-contract', 1.0],
  ['ETC', 21, 'store-of-value', 0.8],
  ['HBAR', 0.082, 'payments', 0.9],
  ['IMX', 2.4, 'layer2', 1.1],
  ['SUI', 0.8, 'smart-contract', 1.2],
  ['SEI', 0.6, 'smart-contract', 1.3],
  ['TIA', 14, 'smart-contract', 1.3],
  ['STX', 1.6, 'layer2', 1.1],
  ['LDO', 2.9, 'defi', 1.0],
  ['MKR', 1_800, 'defi', 0.8],
  ['RUNE', 5.5, 'defi', 1.1],
  ['GRT', 0.2, 'infra', 1.0],
  ['FET', 0.65, 'infra', 1.2],
  ['RNDR', 4.5, 'infra', 1.2],
  ['ALGO', 0.2, 'smart-contract', 0.9],
  ['EGLD', 60, 'smart-contract', 0.9],
  ['FTM', 0.45, 'smart-contract', 1.1],
  ['THETA', 1.1, 'infra', 0.9],
  ['SAND', 0.6, 'gaming', 1.0],
  ['MANA', 0.5, 'gaming', 1.0],
  ['AXS', 8, 'gaming', 1.0],
  ['GALA', 0.03, 'gaming', 1.1],
  ['PEPE', 0.0000014, 'meme', 1.4],
  ['FLOKI', 0.000035, 'meme', 1.4],
  ['CRV', 0.6, 'defi', 1.0],
  ['SNX', 4, 'defi', 1.0],
  ['COMP', 55, 'defi', 0.9],
  ['1INCH', 0.45, 'defi', 1.0],
  ['XTZ', 1.0, 'smart-contract', 0.8],
  ['EOS', 0.75, 'smart-contract', 0.8],
  ['FLOW', 0.8, 'smart-contract', 0.9],
  ['QNT', 115, 'infra', 0.8],
  ['ZEC', 28, 'payments', 0.8],
  ['DASH', 30, 'payments', 0.8],
  ['ENS', 22, 'infra', 1.0],
];

export interface Asset {
  readonly symbol: string;
  readonly sector: number;
  readonly initialPrice: number;
  /** Volatility of one simulation step (1 s), as a standard deviation of the log return. */
  readonly stepVol: number;
  /** Loading on the market factor and on the sector factor (a² + b² < 1; the rest is idiosyncratic). */
  readonly marketLoading: number;
  readonly sectorLoading: number;
  /** Relative trading activity: BTC trades most often. */
  readonly weight: number;
  /** Half the bid-ask spread, as a fraction of the price. */
  readonly halfSpread: number;
  /** Median trade size in quote currency. */
  readonly medianNotional: number;
  readonly priceDecimals: number;
  readonly quantityDecimals: number;
}

const SECONDS_PER_YEAR = 365 * 86_400;
const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

/** About six significant digits of price; at least 2 decimals, at most 12. */
export const priceDecimalsFor = (price: number): number => clamp(5 - Math.floor(Math.log10(price)), 2, 12);
/** A lot worth 0.1–1 of the quote currency (0.00001 BTC, 0.0001 ETH), whole units for tokens under 0.1. */
export const quantityDecimalsFor = (price: number): number => clamp(Math.floor(Math.log10(price)) + 1, 0, 8);

const asset = (
  symbol: string,
  sector: number,
  price: number,
  annualVol: number,
  rank: number,
  marketLoading: number,
  sectorLoading: number,
  synthetic: boolean,
): Asset => ({
  symbol,
  sector,
  initialPrice: price,
  stepVol: annualVol / Math.sqrt(SECONDS_PER_YEAR),
  marketLoading,
  sectorLoading,
  // Zipf-like activity: the big names dominate the tape, as on a real exchange.
  weight: synthetic ? 0.5 / Math.pow(1 + rank, 0.8) : 1 / Math.pow(1 + rank, 0.8),
  halfSpread: rank === 0 ? 0.00005 : rank < 10 ? 0.0001 : synthetic ? 0.0005 : 0.0002,
  medianNotional: rank < 5 ? 600 : synthetic ? 120 : 250,
  priceDecimals: priceDecimalsFor(price),
  quantityDecimals: quantityDecimalsFor(price),
});

/** The symbol of the universe's `i`-th asset (0-based): the real names by market cap, then SIM0001-USDT... */
export const universeSymbol = (i: number): string => {
  const real = REAL_ASSETS[i];
  return real !== undefined ? `${real[0]}-USDT` : `SIM${String(i - REAL_ASSETS.length + 1).padStart(4, '0')}-USDT`;
};

/** The first `count` assets: the real list, then synthetic ones whose parameters come from `rng`. */
export const buildUniverse = (count: number, rng: Rng): Asset[] => {
  const assets: Asset[] = [];
  for (let i = 0; i < count; i++) {
    const real = REAL_ASSETS[i];
    if (real !== undefined) {
      const [base, price, sector, vol] = real;
      const marketLoading = base === 'BTC' ? 0.92 : base === 'ETH' ? 0.85 : rng.between(0.65, 0.8);
      const sectorLoading = base === 'BTC' ? 0.15 : rng.between(0.25, 0.4);
      assets.push(asset(universeSymbol(i), SECTORS.indexOf(sector), price, vol, i, marketLoading, sectorLoading, false));
      continue;
    }
    const price = Math.exp(rng.between(Math.log(0.001), Math.log(200)));
    assets.push(
      asset(
        universeSymbol(i),
        rng.int(SECTORS.length),
        price,
        rng.between(0.8, 1.4),
        i,
        rng.between(0.5, 0.75),
        rng.between(0.2, 0.45),
        true,
      ),
    );
  }
  return assets;
};

export const REAL_ASSET_COUNT = REAL_ASSETS.length;
