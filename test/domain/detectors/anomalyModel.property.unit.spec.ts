/**
 * The anomaly-model detector: on any market its alerts are exactly the episodes the batch scorer
 * (scoreBars over independently built bars) finds, raised at the first flagged bar and resolved
 * at the first bar scored normal, with evidence naming the champion's id, version and hash and
 * the score; without a champion it says nothing; a promotion mid-stream switches the version the
 * evidence names; a champion removed closes its open episode at the next bar.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlertOutput } from '../../../src/domain/detectors/alertFold.js';
import type { DomainEvent } from '../../../src/domain/events/catalogue.js';
import { scoreBars } from '../../../src/domain/models/anomaly/robustZ.js';
import { anomalyTrainedEvent, championEvent, marketArb, ruleEvent, runFold, T0, TEST_ANOMALY_MODEL, tradeEvents, type TradeSpec } from '../../support/alertScenarios.js';
import { closedBars } from '../../support/anomalyComparison.js';

const BAR_MS = 2_000;
const rule = (position = 3): DomainEvent => ruleEvent(position, 'anomaly', 'anomaly-model', { barMs: BAR_MS, historyBars: 20 });

/** What the batch scorer says the alerts are: [kind, episode start, version] per raise / resolve. */
const expectedEpisodes = (market: readonly TradeSpec[]): Array<[string, number]> => {
  const specs = market.map((m) => ({ symbol: 'BTC-USDT', eventTime: m.t, price: String(m.price), quantity: String(m.qty ?? 1), side: m.side ?? ('buy' as const) }));
  const bars = closedBars(specs, market[market.length - 1]!.t, BAR_MS).get('BTC-USDT') ?? [];
  const out: Array<[string, number]> = [];
  let open: number | null = null;
  for (const s of scoreBars(TEST_ANOMALY_MODEL, bars, BAR_MS)) {
    if (s.anomalous && open === null) out.push(['AlertRaised', (open = s.time)]);
    else if (!s.anomalous && s.score !== null && open !== null) {
      out.push(['AlertResolved', open]);
      open = null;
    }
  }
  return out;
};

const episodes = (outputs: readonly AlertOutput[]): Array<[string, number]> =>
  outputs.map((o) => [o.type, Number(o.data.alertId.split('.').at(-1))]);

/** A calm tape of `calmBars` bars (one trade every 250 ms), then a crash bar: a 6% fall on heavy selling. */
const crashTape = (from: number, calmBars: number, level = 100): TradeSpec[] => {
  const calm = Array.from({ length: (calmBars * BAR_MS) / 250 }, (_, i) => ({ t: from + i * 250, price: level * (1 + 0.0005 * Math.sin(i)), qty: 1, side: i % 2 === 0 ? ('buy' as const) : ('sell' as const) }));
  const crashAt = from + calmBars * BAR_MS;
  const crash = Array.from({ length: 8 }, (_, i) => ({ t: crashAt + i * 250, price: level * (1 - 0.0075 * (i + 1)), qty: 6, side: 'sell' as const }));
  const after = Array.from({ length: 24 }, (_, i) => ({ t: crashAt + BAR_MS + i * 250, price: level * 0.94 * (1 + 0.0005 * Math.sin(i)), qty: 1, side: i % 2 === 0 ? ('buy' as const) : ('sell' as const) }));
  return [...calm, ...crash, ...after];
};

describe('anomaly-model detector', () => {
  it('raises and resolves exactly the episodes the batch scorer finds on the same bars, naming the champion', () => {
    let raised = 0;
    fc.assert(
      fc.property(marketArb, (market) => {
        const outputs = runFold([anomalyTrainedEvent(1, 1), championEvent(2, 1), rule(), ...tradeEvents(market)]);
        expect(episodes(outputs)).toEqual(expectedEpisodes(market));
        for (const o of outputs) {
          expect(o.data.evidence).toMatchObject({ modelId: 'BTC-USDT.anomaly.1h', version: 1, modelHash: 'hash-1', threshold: TEST_ANOMALY_MODEL.threshold, barMs: BAR_MS });
          const score = (o.data.evidence as { score: number }).score;
          expect(o.type === 'AlertRaised' ? score > TEST_ANOMALY_MODEL.threshold : score <= TEST_ANOMALY_MODEL.threshold).toBe(true);
          if (o.type === 'AlertRaised') raised++;
        }
      }),
      { numRuns: 60, seed: 20_261_207 },
    );
    // Not vacuous: the random markets make the model raise.
    expect(raised).toBeGreaterThan(10);
  });

  it('says nothing without a champion: a trained model, another alias, or the champion of another symbol', () => {
    const tape = tradeEvents(crashTape(T0, 30));
    expect(runFold([anomalyTrainedEvent(1, 1), championEvent(2, 1), rule(), ...tape]).filter((o) => o.type === 'AlertRaised')).toHaveLength(1);
    expect(runFold([anomalyTrainedEvent(1, 1), rule(), ...tape])).toEqual([]);
    expect(runFold([anomalyTrainedEvent(1, 1), championEvent(2, 1, 'BTC-USDT', 'challenger'), rule(), ...tape])).toEqual([]);
    expect(runFold([anomalyTrainedEvent(1, 1, TEST_ANOMALY_MODEL, 'ETH-USDT'), championEvent(2, 1, 'ETH-USDT'), rule(), ...tape])).toEqual([]);
  });

  it('finds the champion promoted before the rule was registered, and names the version promoted mid-stream', () => {
    const first = crashTape(T0, 30);
    // From the next bar boundary, so that no bar is cut short (a thin bar is an anomaly of volume).
  const second = crashTape(Math.ceil((first[first.length - 1]!.t + 1) / BAR_MS) * BAR_MS, 30, 94);
    const stricter = { ...TEST_ANOMALY_MODEL, threshold: 5 };
    const events = [
      anomalyTrainedEvent(1, 1),
      championEvent(2, 1),
      rule(3),
      ...tradeEvents(first, 10),
      anomalyTrainedEvent(5_000, 2, stricter),
      championEvent(5_001, 2),
      ...tradeEvents(second, 5_010),
    ];
    const raised = runFold(events).filter((o) => o.type === 'AlertRaised');
    expect(raised.map((o) => (o.data.evidence as { version: number }).version)).toEqual([1, 2]);
    expect((raised[1]!.data.evidence as { threshold: number }).threshold).toBe(5);
    expect(raised[1]!.data.message).toMatch(/BTC-USDT\.anomaly\.1h v2/);
  });

  it('closes an open episode at the next bar when its model stops being champion', () => {
    const tape = crashTape(T0, 30);
    const crashEnd = T0 + 31 * BAR_MS;
    const before = tape.filter((s) => s.t < crashEnd + 500);
    const after = tape.filter((s) => s.t >= crashEnd + 500);
    const out = runFold([anomalyTrainedEvent(1, 1), championEvent(2, 1), rule(), ...tradeEvents(before, 10), championEvent(3_000, null), ...tradeEvents(after, 3_010)]);
    expect(out.map((o) => o.type)).toEqual(['AlertRaised', 'AlertResolved']);
    expect(out[1]!.data.evidence).toMatchObject({ modelId: 'BTC-USDT.anomaly.1h', message: 'BTC-USDT: BTC-USDT.anomaly.1h is no longer the champion' });
  });
});
