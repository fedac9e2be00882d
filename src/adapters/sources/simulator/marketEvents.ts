/**
 * Injected market events — flash crashes and volume bursts — and their ground truth (the
 * spoofing episodes injected into the simulated books, simulatedBooks.ts, share the types here).
 *
 * Events start at step boundaries, at random (a Poisson rate per hour for the whole universe)
 * or as planned by the caller. Each one is recorded as an InjectedEvent the moment it starts,
 * so alert tests can compare what they detected with what really happened (recall).
 *
 * A flash crash shifts the symbol's log mid-price by an overlay: a linear fall of `depth` over
 * `dropMs`, then an exponential recovery of a `recovery` fraction of the loss; when the event
 * ends the unrecovered part stays in the price for good. Every exchange quotes the same mid, so
 * the crash shows on all of them. Volume and selling pressure rise while it lasts.
 */
import type { Rng } from '../../../domain/prng.js';

export interface FlashCrash {
  readonly kind: 'flash-crash';
  readonly symbol: string;
  readonly startTime: number;
  /** When the fall ends and the recovery starts. */
  readonly bottomTime: number;
  readonly endTime: number;
  /** Fraction of the price lost at the bottom (0.05 = −5%), before the mid's own noise. */
  readonly depth: number;
  /** Fraction of the loss won back by endTime. */
  readonly recovery: number;
}

export interface VolumeBurst {
  readonly kind: 'volume-burst';
  readonly symbol: string;
  readonly startTime: number;
  readonly endTime: number;
  /** Factor applied to the symbol's trade rate. */
  readonly multiplier: number;
}

/**
 * Spoofing in one simulated book: `rounds` large orders placed a few levels behind the touch on
 * one side and cancelled within seconds, untraded. From the first placement to the last
 * cancellation.
 */
export interface SpoofingEpisodeInjected {
  readonly kind: 'spoofing';
  readonly symbol: string;
  readonly exchange: string;
  readonly side: 'bids' | 'asks';
  readonly startTime: number;
  readonly endTime: number;
  readonly rounds: number;
}

export type InjectedEvent = FlashCrash | VolumeBurst | SpoofingEpisodeInjected;

/** An event the caller wants at a given time (tests, demos). Omitted parameters are drawn at random. */
export type PlannedEvent =
  | { readonly kind: 'flash-crash'; readonly symbol: string; readonly at: number; readonly depth?: number; readonly recovery?: number; readonly dropMs?: number }
  | { readonly kind: 'volume-burst'; readonly symbol: string; readonly at: number; readonly multiplier?: number; readonly durationMs?: number }
  | { readonly kind: 'spoofing'; readonly symbol: string; readonly at: number; readonly exchange?: string; readonly side?: 'bids' | 'asks' };

interface ActiveCrash {
  readonly event: FlashCrash;
  readonly index: number;
  readonly logLoss: number;
  readonly tauMs: number;
}

interface ActiveBurst {
  readonly event: VolumeBurst;
  readonly index: number;
}

export interface MarketEvents {
  /** Log-price shift per symbol at the end of the current step (crash overlays and their lasting losses). */
  readonly shift: Float64Array;
  /** Trade-rate factor per symbol during the current step. */
  readonly rateMultiplier: Float64Array;
  /** 1 where a crash is falling during the current step: takers sell. */
  readonly falling: Uint8Array;
  /**
   * Starts, advances and ends events for the step [stepStart, stepEnd). Returns true when a
   * rate multiplier changed (the trade generator then rebuilds its symbol weights).
   */
  prepareStep(stepStart: number, stepEnd: number): boolean;
  injected(): readonly InjectedEvent[];
}

export interface MarketEventOptions {
  readonly symbols: readonly string[];
  /** Activity weights, so that events hit symbols that trade (what alerting can see). */
  readonly weights: ArrayLike<number>;
  readonly flashCrashesPerHour: number;
  readonly volumeBurstsPerHour: number;
  readonly planned: readonly PlannedEvent[];
  readonly rng: Rng;
}

/** Crash volume: fall ×6, recovery ×3. */
const CRASH_FALL_RATE = 6;
const CRASH_RECOVERY_RATE = 3;

const crashOverlay = (c: ActiveCrash, t: number): number => {
  const { startTime, bottomTime, recovery } = c.event;
  if (t <= startTime) return 0;
  if (t < bottomTime) return (c.logLoss * (t - startTime)) / (bottomTime - startTime);
  return c.logLoss * (1 - recovery * (1 - Math.exp(-(t - bottomTime) / c.tauMs)));
};

export const createMarketEvents = (options: MarketEventOptions): MarketEvents => {
  const { symbols, weights, rng } = options;
  const n = symbols.length;
  const shift = new Float64Array(n);
  const permanent = new Float64Array(n);
  const rateMultiplier = new Float64Array(n).fill(1);
  const falling = new Uint8Array(n);
  const indexOf = new Map(symbols.map((s, i) => [s, i]));
  const injected: InjectedEvent[] = [];
  let crashes: ActiveCrash[] = [];
  let bursts: ActiveBurst[] = [];
  let boosted = new Set<number>();
  const planned = [...options.planned].sort((a, b) => a.at - b.at);
  let nextPlanned = 0;

  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += weights[i]!;
  const pickSymbol = (): number => {
    let r = rng.next() * totalWeight;
    for (let i = 0; i < n; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    return n - 1;
  };

  const startCrash = (index: number, at: number, p: Partial<{ depth: number; recovery: number; dropMs: number }>): void => {
    if (crashes.some((c) => c.index === index)) return; // one crash at a time per symbol
    // Draw every parameter even when given, so planning one value does not shift the stream.
    const depth = rng.between(0.05, 0.15);
    const dropMs = Math.round(rng.between(3_000, 20_000));
    const recovery = rng.between(0.3, 0.7);
    const tauMs = Math.round(rng.between(30_000, 120_000));
    const event: FlashCrash = {
      kind: 'flash-crash',
      symbol: symbols[index]!,
      startTime: at,
      bottomTime: at + (p.dropMs ?? dropMs),
      endTime: at + (p.dropMs ?? dropMs) + 5 * tauMs,
      depth: p.depth ?? depth,
      recovery: p.recovery ?? recovery,
    };
    crashes.push({ event, index, logLoss: Math.log(1 - event.depth), tauMs });
    injected.push(event);
  };

  const startBurst = (index: number, at: number, p: Partial<{ multiplier: number; durationMs: number }>): void => {
    const multiplier = rng.between(4, 12);
    const durationMs = Math.round(rng.between(20_000, 120_000));
    const event: VolumeBurst = {
      kind: 'volume-burst',
      symbol: symbols[index]!,
      startTime: at,
      endTime: at + (p.durationMs ?? durationMs),
      multiplier: p.multiplier ?? multiplier,
    };
    bursts.push({ event, index });
    injected.push(event);
  };

  const prepareStep = (stepStart: number, stepEnd: number): boolean => {
    const stepHours = (stepEnd - stepStart) / 3_600_000;
    // Planned events first (in time order), then the random ones: both at this step's start.
    while (nextPlanned < planned.length && planned[nextPlanned]!.at < stepEnd) {
      const p = planned[nextPlanned++]!;
      const index = indexOf.get(p.symbol);
      if (index === undefined) continue;
      if (p.kind === 'flash-crash') startCrash(index, stepStart, p);
      else if (p.kind === 'volume-burst') startBurst(index, stepStart, p);
      // Spoofing is the books' (simulatedBooks.ts): it moves no price and no trade rate.
    }
    if (rng.next() < options.flashCrashesPerHour * stepHours) startCrash(pickSymbol(), stepStart, {});
    if (rng.next() < options.volumeBurstsPerHour * stepHours) startBurst(pickSymbol(), stepStart, {});

    const ending = crashes.filter((c) => c.event.endTime <= stepStart);
    for (const c of ending) {
      // What was not recovered stays in the price.
      permanent[c.index]! += c.logLoss * (1 - c.event.recovery);
      shift[c.index] = permanent[c.index]!;
    }
    if (ending.length > 0) crashes = crashes.filter((c) => c.event.endTime > stepStart);
    bursts = bursts.filter((b) => b.event.endTime > stepStart);

    // Multipliers are rebuilt from the active events; report whether any changed.
    let changed = false;
    const touched = new Map<number, number>();
    for (const b of bursts) touched.set(b.index, (touched.get(b.index) ?? 1) * b.event.multiplier);
    for (const c of crashes) {
      const isFalling = stepStart < c.event.bottomTime;
      falling[c.index] = isFalling ? 1 : 0;
      touched.set(c.index, (touched.get(c.index) ?? 1) * (isFalling ? CRASH_FALL_RATE : CRASH_RECOVERY_RATE));
      shift[c.index] = permanent[c.index]! + crashOverlay(c, stepEnd);
    }
    for (const c of ending) falling[c.index] = 0;
    // Only symbols with an event now or in the previous step can have a multiplier ≠ 1.
    for (const i of boosted) {
      if (!touched.has(i)) {
        rateMultiplier[i] = 1;
        changed = true;
      }
    }
    for (const [i, m] of touched) {
      if (rateMultiplier[i] !== m) {
        rateMultiplier[i] = m;
        changed = true;
      }
    }
    boosted = new Set(touched.keys());
    return changed;
  };

  return { shift, rateMultiplier, falling, prepareStep, injected: () => injected };
};
