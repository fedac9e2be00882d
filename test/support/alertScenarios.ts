/** Builders for alert-fold tests: recorded trade and rule events, random markets, and running a fold over them. */
import fc from 'fast-check';
import type { DomainEvent } from '../../src/domain/events/catalogue.js';
import { createAlertFold, type AlertOutput } from '../../src/domain/detectors/alertFold.js';
import { ANOMALY_COMPONENTS, type RobustZJson } from '../../src/domain/models/anomaly/robustZ.js';

export const T0 = Date.UTC(2024, 0, 1);

export interface TradeSpec {
  readonly t: number;
  readonly price: number;
  readonly qty?: number;
  readonly exchange?: string;
  readonly symbol?: string;
  readonly side?: 'buy' | 'sell';
}

let counter = 0;

const envelope = (position: number) => ({
  position,
  id: `e-${position}-${counter++}`,
  schemaVersion: 1,
  streamVersion: 1,
  meta: { recordedAt: 0, actor: 'test', correlationId: 'c', causationId: null, source: 'test' },
  dedupKey: null,
  leafHash: '',
});

export const ruleEvent = (position: number, ruleId: string, detector: string, params: Record<string, unknown> = {}, symbols: string[] | '*' = '*'): DomainEvent =>
  ({ ...envelope(position), type: 'AlertRuleRegistered', stream: `alert-rules/${ruleId}`, data: { ruleId, detector, symbols, params, severity: 'warning' } }) as DomainEvent;

/** Trades as ledger events, positions after `firstPosition`, in the order given. */
export const tradeEvents = (specs: readonly TradeSpec[], firstPosition = 10): DomainEvent[] =>
  specs.map((s, i) => {
    const exchange = s.exchange ?? 'binance';
    const symbol = s.symbol ?? 'BTC-USDT';
    return {
      ...envelope(firstPosition + i),
      type: 'TradeObserved',
      stream: `trades/${exchange}/${symbol}`,
      data: { exchange, symbol, tradeId: `${exchange}-${s.t}-${i}`, price: s.price.toFixed(8), quantity: (s.qty ?? 1).toFixed(8), side: s.side ?? 'buy', eventTime: s.t },
    } as DomainEvent;
  });

export const runFold = (events: readonly DomainEvent[], allowedLatenessMs = 0): AlertOutput[] => {
  const fold = createAlertFold({ allowedLatenessMs });
  return events.flatMap((e) => fold.apply(e));
};

/** A calm market: one trade a second, the price wobbling ±`wobble` around `price`. */
export const calm = (from: number, seconds: number, price = 100, wobble = 0.001, extra: Partial<TradeSpec> = {}): TradeSpec[] =>
  Array.from({ length: seconds }, (_, i) => ({ t: from + i * 1_000, price: price * (1 + wobble * Math.sin(i * 1.7)), ...extra }));

export const raisedIds = (out: readonly AlertOutput[]): string[] => out.filter((o) => o.type === 'AlertRaised').map((o) => o.data.alertId);
export const summary = (out: readonly AlertOutput[]): string[] => out.map((o) => `${o.type} ${o.data.alertId} @${o.data.eventTime}`);

/** A robust-z anomaly model with a short window, so that short random markets make it speak. */
export const TEST_ANOMALY_MODEL: RobustZJson = { type: 'robust-z', window: 10, minHistory: 5, threshold: 4, intervalMs: 3_600_000, components: ANOMALY_COMPONENTS };

/** A training of an anomaly model (only what the alert fold reads of ModelTrained is real) at `position`. */
export const anomalyTrainedEvent = (position: number, version: number, model: RobustZJson = TEST_ANOMALY_MODEL, symbol = 'BTC-USDT'): DomainEvent =>
  ({
    ...envelope(position),
    type: 'ModelTrained',
    stream: `models/${symbol}.anomaly.1h`,
    data: { modelId: `${symbol}.anomaly.1h`, version, symbol, kind: 'anomaly', algorithm: 'robust-z', interval: '1h', horizonBars: 1, modelHash: `hash-${version}`, model },
  }) as unknown as DomainEvent;

/** The champion alias of a symbol's 1h anomaly model set to `version` (null removes it). */
export const championEvent = (position: number, version: number | null, symbol = 'BTC-USDT', alias = 'champion'): DomainEvent =>
  ({ ...envelope(position), type: 'ModelAliasSet', stream: `models/${symbol}.anomaly.1h`, data: { modelId: `${symbol}.anomaly.1h`, alias, version, reason: 'test' } }) as DomainEvent;

/** One rule per detector, tuned so that short random markets make each of them speak (the anomaly model's champion recorded before its rule). */
export const everyDetectorRules = (): DomainEvent[] => [
  anomalyTrainedEvent(6, 1),
  championEvent(7, 1),
  ruleEvent(1, 'flash', 'flash-move', { windowMs: 10_000, minHistoryWindows: 3, minMoveBps: 50 }),
  ruleEvent(2, 'volume', 'volume-spike', { windowMs: 10_000, minHistoryWindows: 3 }),
  ruleEvent(3, 'div', 'divergence', { thresholdBps: 30, minDurationMs: 2_000 }),
  ruleEvent(4, 'stale', 'stale-feed', { minTrades: 5, minGapMs: 3_000, multiple: 5 }),
  ruleEvent(5, 'level', 'price-level', { level: 100 }),
  ruleEvent(7, 'anomaly', 'anomaly-model', { barMs: 2_000, historyBars: 20 }),
];

/** A market: per step a time gap, a log-price move (sometimes a jump), a quantity and an exchange. */
export const marketArb = fc
  .array(
    fc.record({
      gap: fc.oneof({ weight: 10, arbitrary: fc.integer({ min: 0, max: 1_500 }) }, { weight: 1, arbitrary: fc.integer({ min: 5_000, max: 30_000 }) }),
      move: fc.oneof({ weight: 10, arbitrary: fc.double({ min: -0.002, max: 0.002, noNaN: true }) }, { weight: 1, arbitrary: fc.double({ min: -0.05, max: 0.05, noNaN: true }) }),
      qty: fc.oneof({ weight: 10, arbitrary: fc.double({ min: 0.1, max: 2, noNaN: true }) }, { weight: 1, arbitrary: fc.double({ min: 10, max: 50, noNaN: true }) }),
      exchange: fc.constantFrom('binance', 'coinbase'),
    }),
    { minLength: 50, maxLength: 400 },
  )
  .map((steps) => {
    let t = T0;
    let logP = Math.log(100);
    const out: TradeSpec[] = [];
    for (const s of steps) {
      t += s.gap;
      logP += s.move;
      out.push({ t, price: Math.exp(logP), qty: s.qty, exchange: s.exchange });
    }
    return out;
  });
