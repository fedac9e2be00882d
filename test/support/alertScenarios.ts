/** Builders for alert-fold tests: recorded trade and rule events, and running a fold over them. */
import type { DomainEvent } from '../../src/domain/events/catalogue.js';
import { createAlertFold, type AlertOutput } from '../../src/domain/detectors/alertFold.js';

export const T0 = Date.UTC(2024, 0, 1);

export interface TradeSpec {
  readonly t: number;
  readonly price: number;
  readonly qty?: number;
  readonly exchange?: string;
  readonly symbol?: string;
}

let counter = 0;

const envelope = (position: number) => ({
  position,
  id: `e-${position}-${counter++}`,
  schemaVersion: 1,
  streamVersion: 1,
  meta: { recordedAt: 0, actor: 'test', correlationId: 'c', causationId: null, source: 'test' },
  dedupKey: null,
  prevHash: '',
  hash: '',
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
      data: { exchange, symbol, tradeId: `${exchange}-${s.t}-${i}`, price: s.price.toFixed(8), quantity: (s.qty ?? 1).toFixed(8), side: 'buy', eventTime: s.t },
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
