/**
 * The default rules against the simulator's ground truth over a seeded hour: the injected flash
 * crashes and volume bursts are detected (recall) and few alerts fire outside them (false alarms).
 */
import { describe, expect, it } from 'vitest';
import { createSimulatorSource } from '../../../src/adapters/sources/simulator/simulatorSource.js';
import type { InjectedEvent } from '../../../src/adapters/sources/simulator/marketEvents.js';
import type { AlertOutput } from '../../../src/domain/detectors/alertFold.js';
import { defaultRuleAlerts } from '../../support/defaultRulesOverSimulator.js';

const HOUR = 3_600_000;
/** An alert counts for an event when it is raised between the event's start and a window after its end. */
const MARGIN_MS = 60_000;

const runHour = async (seed: number): Promise<{ alerts: AlertOutput[]; injected: readonly InjectedEvent[]; end: number }> => {
  const source = createSimulatorSource({ seed, symbols: 6, tradesPerSecond: 100, maxTrades: 500_000, flashCrashesPerHour: 6, volumeBurstsPerHour: 6 });
  const { alerts, end } = await defaultRuleAlerts(source);
  return { alerts, injected: source.injectedEvents(), end };
};

describe('default rules over a seeded simulator hour', () => {
  it.each([13, 21])('seed %i: detect the injected flash crashes and volume bursts, with few false alarms', async (seed) => {
    const { alerts, injected, end } = await runHour(seed);
    const raised = alerts.filter((a): a is Extract<AlertOutput, { type: 'AlertRaised' }> => a.type === 'AlertRaised');
    const complete = injected.filter((e) => e.endTime + MARGIN_MS < end);
    const crashes = complete.filter((e) => e.kind === 'flash-crash');
    const bursts = complete.filter((e) => e.kind === 'volume-burst');
    const resolvedAt = new Map(alerts.filter((a) => a.type === 'AlertResolved').map((a) => [a.data.alertId, a.data.eventTime]));
    // Overlapping events on one symbol are one episode: an event is detected when an alert of the detector is open during it.
    const hits = (e: InjectedEvent, detector: string): boolean =>
      raised.some(
        (a) =>
          a.data.detector === detector &&
          a.data.symbol === e.symbol &&
          a.data.eventTime <= e.endTime + MARGIN_MS &&
          (resolvedAt.get(a.data.alertId) ?? Number.POSITIVE_INFINITY) >= e.startTime,
      );
    const crashRecall = crashes.filter((e) => hits(e, 'flash-move')).length;
    const burstRecall = bursts.filter((e) => hits(e, 'volume-spike')).length;
    const explained = (a: (typeof raised)[number]): boolean =>
      injected.some((e) => e.symbol === a.data.symbol && a.data.eventTime >= e.startTime && a.data.eventTime <= e.endTime + MARGIN_MS);
    const falseFlash = raised.filter((a) => a.data.detector === 'flash-move' && !explained(a)).length;
    const falseVolume = raised.filter((a) => a.data.detector === 'volume-spike' && !explained(a)).length;
    for (const e of crashes) if (!hits(e, 'flash-move')) console.log('missed', JSON.stringify(e));
    for (const e of bursts) if (!hits(e, 'volume-spike')) console.log('missed', JSON.stringify(e));
    console.log(JSON.stringify({ hours: (end - Date.UTC(2024, 0, 1)) / HOUR, crashes: crashes.length, crashRecall, bursts: bursts.length, burstRecall, falseFlash, falseVolume, byDetector: Object.fromEntries(['flash-move', 'volume-spike', 'divergence', 'stale-feed'].map((d) => [d, raised.filter((a) => a.data.detector === d).length])) }));
    expect(crashes.length).toBeGreaterThanOrEqual(3);
    expect(bursts.length).toBeGreaterThanOrEqual(3);
    expect(crashRecall).toBe(crashes.length);
    expect(burstRecall / bursts.length).toBeGreaterThanOrEqual(0.8);
    expect(falseFlash).toBeLessThanOrEqual(1);
    expect(falseVolume).toBeLessThanOrEqual(2);
  }, 120_000);
});
