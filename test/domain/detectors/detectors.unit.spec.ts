/**
 * Given/when/then for every detector, through the alert fold: one injected episode gives exactly
 * one AlertRaised (and one AlertResolved when it ends), a constant market gives none, and a trade
 * arriving late but within the lateness bound gives the same alerts as in-order delivery.
 */
import { describe, expect, it } from 'vitest';
import { calm, raisedIds, ruleEvent, runFold, summary, T0, tradeEvents, type TradeSpec } from '../../support/alertScenarios.js';
import type { DomainEvent } from '../../../src/domain/events/catalogue.js';

const MIN = 60_000;

/** Moves the trade at `index` to the end of the delivery order (it arrives late, same event time). */
const deliverLate = (events: readonly DomainEvent[], index: number, by: number): DomainEvent[] => {
  const out = [...events];
  const [late] = out.splice(index, 1);
  out.splice(Math.min(index + by, out.length), 0, late!);
  return out;
};

const scenarios: Record<string, { rule: DomainEvent; episode: () => TradeSpec[]; constant: () => TradeSpec[] }> = {
  'flash-move': {
    rule: ruleEvent(1, 'r', 'flash-move'),
    // 20 calm minutes, a 6% fall over 10 s, a slow partial rebound, then calm again.
    episode: () => [
      ...calm(T0, 20 * 60),
      ...Array.from({ length: 10 }, (_, i) => ({ t: T0 + 20 * MIN + i * 1_000, price: 100 * (1 - 0.006 * (i + 1)) })),
      ...calm(T0 + 20 * MIN + 10_000, 10 * 60, 97),
    ],
    constant: () => calm(T0, 40 * 60, 100, 0),
  },
  'volume-spike': {
    rule: ruleEvent(1, 'r', 'volume-spike'),
    episode: () => [
      ...calm(T0, 20 * 60),
      ...Array.from({ length: 60 }, (_, i) => ({ t: T0 + 20 * MIN + i * 1_000, price: 100, qty: 10 })),
      ...calm(T0 + 21 * MIN, 10 * 60),
    ],
    constant: () => calm(T0, 40 * 60),
  },
  divergence: {
    rule: ruleEvent(1, 'r', 'divergence'),
    episode: () => {
      const out: TradeSpec[] = [];
      for (let i = 0; i < 600; i++) {
        const apart = i >= 200 && i < 260; // one minute 1% apart
        out.push({ t: T0 + i * 1_000, price: 100, exchange: 'binance' }, { t: T0 + i * 1_000 + 500, price: apart ? 101 : 100.01, exchange: 'coinbase' });
      }
      return out;
    },
    constant: () => [...calm(T0, 600, 100, 0, { exchange: 'binance' }), ...calm(T0 + 500, 600, 100, 0, { exchange: 'coinbase' })].sort((a, b) => a.t - b.t),
  },
  'stale-feed': {
    rule: ruleEvent(1, 'r', 'stale-feed'),
    // ETH trades every second throughout; BTC stops for 5 minutes in the middle.
    episode: () =>
      [
        ...calm(T0, 20 * 60, 3000, 0.001, { symbol: 'ETH-USDT' }),
        ...calm(T0, 8 * 60).concat(calm(T0 + 13 * MIN, 7 * 60)),
      ].sort((a, b) => a.t - b.t),
    constant: () => [...calm(T0, 20 * 60, 3000, 0.001, { symbol: 'ETH-USDT' }), ...calm(T0, 20 * 60)].sort((a, b) => a.t - b.t),
  },
  'price-level': {
    rule: ruleEvent(1, 'r', 'price-level', { level: 105, direction: 1 }),
    episode: () => [...calm(T0, 60), ...calm(T0 + MIN, 60, 106), ...calm(T0 + 2 * MIN, 60, 100)],
    constant: () => calm(T0, 600, 100, 0.01),
  },
};

describe.each(Object.entries(scenarios))('detector %s', (_name, s) => {
  it('given one injected episode, when the trades are folded, then exactly one alert is raised and resolved', () => {
    const out = runFold([s.rule, ...tradeEvents(s.episode())]);
    const raised = out.filter((o) => o.type === 'AlertRaised');
    const resolved = out.filter((o) => o.type === 'AlertResolved');
    expect(summary(out)).toHaveLength(2);
    expect(raised).toHaveLength(1);
    expect(resolved).toHaveLength(1);
    expect(resolved[0]!.data.alertId).toBe(raised[0]!.data.alertId);
    expect(resolved[0]!.data.eventTime).toBeGreaterThanOrEqual(raised[0]!.data.eventTime);
    const trades = (raised[0]!.data.evidence as { trades: Array<{ position: number }> }).trades;
    expect(trades.length).toBeGreaterThan(0);
    expect(trades.every((t) => t.position >= 10)).toBe(true);
  });

  it('given a constant market, then no alert', () => {
    expect(summary(runFold([s.rule, ...tradeEvents(s.constant())]))).toEqual([]);
  });

  it('given a trade that arrives late but within the lateness bound, then the same alerts', () => {
    const events = [s.rule, ...tradeEvents(s.episode())];
    const inOrder = runFold(events, 5_000);
    const mid = Math.floor(events.length / 2);
    // Three trades inside the episode region and one in the middle arrive 3 positions (≤ 3 s) late.
    for (const i of [mid, mid + 7, events.length - 40]) {
      const shuffled = runFold(deliverLate(events, i, 3), 5_000);
      expect(shuffled.map((o) => `${o.type} ${o.data.alertId} @${o.data.eventTime}`)).toEqual(inOrder.map((o) => `${o.type} ${o.data.alertId} @${o.data.eventTime}`));
    }
    expect(raisedIds(inOrder)).toHaveLength(1);
  });

  it('a trade later than the lateness bound is dropped, not folded out of order', () => {
    const events = [s.rule, ...tradeEvents(s.episode())];
    const veryLate = deliverLate(events, 5, 100);
    expect(() => runFold(veryLate, 5_000)).not.toThrow();
  });
});

describe('rules', () => {
  it('a rule applies only from its ledger position on, and a retired rule stops', () => {
    const trades = tradeEvents(scenarios['price-level']!.episode(), 10);
    const register = ruleEvent(5, 'late-rule', 'price-level', { level: 105, direction: 1 });
    const beforeCrossing = trades.slice(0, 70);
    const afterCrossing = trades.slice(70);
    expect(raisedIds(runFold([...trades.slice(0, 55), register, ...trades.slice(55)]))).toHaveLength(1);
    // Registered after the crossing: nothing, since there is no crossing after it.
    expect(raisedIds(runFold([...beforeCrossing, register, ...afterCrossing]))).toHaveLength(0);
    const retire = { ...register, type: 'AlertRuleRetired', data: { ruleId: 'late-rule', reason: 'x' } } as DomainEvent;
    expect(raisedIds(runFold([register, ...trades.slice(0, 30), retire, ...trades.slice(30)]))).toHaveLength(0);
  });

  it('a rule for other symbols does not see this one', () => {
    const rule = ruleEvent(1, 'r', 'price-level', { level: 105, direction: 1 }, ['ETH-USDT']);
    expect(raisedIds(runFold([rule, ...tradeEvents(scenarios['price-level']!.episode())]))).toEqual([]);
  });
});
