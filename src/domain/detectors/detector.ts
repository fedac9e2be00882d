/**
 * What every detector shares: the trade it sees (numbers, with the ids evidence must name), the
 * signal it emits, and its interface. A detector is a fold over trades in event-time order plus
 * the watermark: no clock, no I/O, so a replay of the same ledger gives the same signals.
 */

import type { ChampionModel } from './anomalyChampions.js';

/** A trade as detectors see it: the figures as numbers, and where it sits in the ledger. */
export interface DetectorTrade {
  readonly position: number;
  readonly eventId: string;
  readonly exchange: string;
  readonly symbol: string;
  readonly tradeId: string;
  readonly price: number;
  readonly quantity: number;
  readonly eventTime: number;
  /** The taker's side: order flow (the anomaly model's imbalance). */
  readonly side?: 'buy' | 'sell';
}

/**
 * What a detector may read besides its trades: state the alert fold keeps from other ledger
 * events, so every rule sees it whenever it was registered (the champion anomaly models).
 */
export interface DetectorContext {
  readonly championsOf: (symbol: string) => readonly ChampionModel[];
}

/** The reference to a trade that evidence carries. */
export interface TradeEvidence {
  readonly position: number;
  readonly exchange: string;
  readonly tradeId: string;
  readonly eventTime: number;
  readonly price: number;
}

export const tradeEvidence = (t: DetectorTrade): TradeEvidence => ({
  position: t.position,
  exchange: t.exchange,
  tradeId: t.tradeId,
  eventTime: t.eventTime,
  price: t.price,
});

/**
 * A detector's conclusion. `key` names what the episode is about (a series or a symbol);
 * `episodeStart` is the event time the episode began, which with the rule id makes the alert id.
 */
export interface AlertSignal {
  readonly kind: 'raised' | 'resolved';
  readonly key: string;
  readonly symbol: string;
  readonly episodeStart: number;
  readonly eventTime: number;
  readonly message: string;
  readonly evidence: Readonly<Record<string, unknown>> & { readonly trades: readonly TradeEvidence[] };
  /** The ledger event that caused the signal (causation in the alert's meta). */
  readonly causeEventId: string | null;
}

export interface Detector {
  /** Folds one trade (already in event-time order); returns the signals it causes. */
  onTrade(trade: DetectorTrade): readonly AlertSignal[];
  /** The watermark reached `time`: detectors that watch for silence look at the clock here. */
  onWatermark(time: number): readonly AlertSignal[];
  /** Its whole state as plain data (savedState.ts), for the alert fold's snapshot. */
  save(): unknown;
  /** Replaces its state with a saved one (same params); throws SavedStateError naming what is wrong. */
  load(state: unknown, path: string): void;
}

/** What almost every trade causes: shared, so the common case allocates nothing. */
export const NO_SIGNALS: readonly AlertSignal[] = Object.freeze([]);

export const seriesKey = (exchange: string, symbol: string): string => `${exchange}:${symbol}`;
