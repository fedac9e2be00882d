/**
 * The mid-price model, advanced one fixed step (1 s of event time) at a time for every symbol.
 *
 * Each step's log return is sqrt(h) · u with u = a·market + b·sector + c·idiosyncratic (all
 * N(0,1), c = sqrt(1 − a² − b²)), so returns are correlated through a common market factor and
 * per-sector factors. The variance h follows GARCH(1,1) on the realised return, which clusters
 * volatility (calm and wild spells). Event shifts (flash-crash overlays) are added on top, and
 * feed the GARCH term too, so a crash leaves nervous trading behind it.
 *
 * State is kept in typed arrays: the step costs a few multiplications per symbol, which keeps
 * a 1000-symbol universe cheap.
 */
import type { MarketEvents } from './marketEvents.js';
import type { Rng } from '../../../domain/prng.js';
import type { Asset } from './universe.js';

export const STEP_MS = 1_000;

/** GARCH(1,1) on 1-second returns: persistence 0.995 (half-life about 2 minutes). */
const ALPHA = 0.02;
const BETA = 0.975;
/** A shock feeds the variance at most as a 5σ move, and the variance stays under 100× its mean. */
const SHOCK_CAP = 25;
const VARIANCE_CAP = 100;
/** How strongly the taker side follows the step's move (0.5 ± 0.3 at most). */
const SIDE_TILT = 0.15;
const FALLING_BUY_PROBABILITY = 0.2;

export interface PriceModel {
  /** Log mid at the start and at the end of the current step; trades interpolate between them. */
  readonly logMidStart: Float64Array;
  readonly logMidEnd: Float64Array;
  /** Probability that a trade in the current step was a taker buy. */
  readonly buyProbability: Float64Array;
  /** Moves every symbol to the next step; `events` must already be prepared for it. */
  advance(events: MarketEvents): void;
}

export const createPriceModel = (assets: readonly Asset[], sectorCount: number, rng: Rng): PriceModel => {
  const n = assets.length;
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  const sector = new Int32Array(n);
  const omega = new Float64Array(n);
  const longRun = new Float64Array(n);
  const h = new Float64Array(n);
  const shock2 = new Float64Array(n);
  const logBase = new Float64Array(n);
  const logMidStart = new Float64Array(n);
  const logMidEnd = new Float64Array(n);
  const buyProbability = new Float64Array(n).fill(0.5);
  const sectorShock = new Float64Array(sectorCount);

  for (let i = 0; i < n; i++) {
    const asset = assets[i]!;
    a[i] = asset.marketLoading;
    b[i] = asset.sectorLoading;
    c[i] = Math.sqrt(Math.max(0, 1 - asset.marketLoading ** 2 - asset.sectorLoading ** 2));
    sector[i] = asset.sector;
    const variance = asset.stepVol * asset.stepVol;
    longRun[i] = variance;
    omega[i] = variance * (1 - ALPHA - BETA);
    h[i] = variance;
    shock2[i] = variance;
    logBase[i] = Math.log(asset.initialPrice);
    logMidStart[i] = logBase[i]!;
    logMidEnd[i] = logBase[i]!;
  }

  const advance = (events: MarketEvents): void => {
    const market = rng.normal();
    for (let k = 0; k < sectorCount; k++) sectorShock[k] = rng.normal();
    const { shift, falling } = events;
    for (let i = 0; i < n; i++) {
      const previous = logMidEnd[i]!;
      logMidStart[i] = previous;
      const u = a[i]! * market + b[i]! * sectorShock[sector[i]!]! + c[i]! * rng.normal();
      let variance = omega[i]! + ALPHA * shock2[i]! + BETA * h[i]!;
      const cap = VARIANCE_CAP * longRun[i]!;
      if (variance > cap) variance = cap;
      h[i] = variance;
      logBase[i]! += Math.sqrt(variance) * u;
      const next = logBase[i]! + shift[i]!;
      const r = next - previous;
      const r2 = r * r;
      shock2[i] = r2 < SHOCK_CAP * variance ? r2 : SHOCK_CAP * variance;
      logMidEnd[i] = next;
      const tilt = u > 2 ? 2 : u < -2 ? -2 : u;
      buyProbability[i] = falling[i] === 1 ? FALLING_BUY_PROBABILITY : 0.5 + SIDE_TILT * tilt;
    }
  };

  return { logMidStart, logMidEnd, buyProbability, advance };
};
