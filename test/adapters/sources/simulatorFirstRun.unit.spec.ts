/**
 * A fresh data folder's first simulator run: the default rules raise alerts within 3 minutes of
 * simulated time (flash moves), and the volume-spike rule as soon as its warm-up lets it; a second
 * run of the same folder plans nothing and keeps only the random rates. Time here is the
 * simulator's own event time, never the wall clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstRunEvents, plannedEventsFor } from '../../../src/adapters/sources/simulator/firstRunSchedule.js';
import { createSimulatorSource } from '../../../src/adapters/sources/simulator/simulatorSource.js';
import { defaultRuleAlerts, raisedOf } from '../../support/defaultRulesOverSimulator.js';

const START = Date.UTC(2025, 5, 1, 9, 30, 7);
const MINUTE = 60_000;
/** Enough trades for five simulated minutes of the default tape (200 a second, more while a crash or burst boosts a symbol). */
const FIVE_MINUTES_OF_TRADES = 2 * 200 * 300;

const dirs: string[] = [];
const freshDataDir = (): string => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tickvault-first-run-'));
  dirs.push(dir);
  return path.join(dir, 'data');
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const runFiveMinutes = (seed: number, events: ReturnType<typeof firstRunEvents>) =>
  createSimulatorSource({ seed, symbols: 24, startTime: START, maxTrades: FIVE_MINUTES_OF_TRADES, events });

describe("the simulator's first run in a fresh data folder", () => {
  it('plans the early events once per folder: the second run of the same folder plans nothing', () => {
    const dataDir = freshDataDir();
    expect(plannedEventsFor(dataDir, 24, START)).toEqual(firstRunEvents(24, START));
    expect(plannedEventsFor(dataDir, 24, START + 10 * MINUTE)).toEqual([]);
    expect(plannedEventsFor(freshDataDir(), 24, START)).toEqual(firstRunEvents(24, START));
  });

  it.each([42, 7, 2024])('seed %i: the default rules raise flash-move alerts within 3 simulated minutes, and a volume spike within 4', async (seed) => {
    const source = runFiveMinutes(seed, plannedEventsFor(freshDataDir(), 24, START));
    const { alerts, end } = await defaultRuleAlerts(source);
    expect(end).toBeGreaterThan(START + 4 * MINUTE);
    const raised = raisedOf(alerts);
    const flashWithin3 = raised.filter((a) => a.data.detector === 'flash-move' && a.data.eventTime <= START + 3 * MINUTE);
    expect(new Set(flashWithin3.map((a) => a.data.symbol))).toEqual(new Set(['BTC-USDT', 'ETH-USDT']));
    expect(raised.some((a) => a.data.detector === 'volume-spike' && a.data.symbol === 'BNB-USDT' && a.data.eventTime <= START + 4 * MINUTE)).toBe(true);
  }, 120_000);

  it('a second run of the same folder gets only the random events: none of the early ones', async () => {
    const dataDir = freshDataDir();
    plannedEventsFor(dataDir, 24, START);
    const second = runFiveMinutes(42, plannedEventsFor(dataDir, 24, START));
    await defaultRuleAlerts(second);
    const early = firstRunEvents(24, START);
    const isEarly = (e: { kind: string; symbol: string; startTime: number }): boolean =>
      early.some((p) => p.kind === e.kind && p.symbol === e.symbol && Math.abs(p.at - e.startTime) < 1_000);
    expect(second.injectedEvents().filter(isEarly)).toEqual([]);
  }, 120_000);
});
