/**
 * The simulator's first run in a fresh data folder: an early flash crash and volume burst, so a
 * new user sees the default alert rules fire within minutes instead of waiting for the random
 * rates (one crash and four bursts an hour over the whole universe: a first alert after about 12
 * minutes on average). Later runs of the same folder get only the random events.
 *
 * The times follow the default rules' warm-up: a flash move of 8% clears the flash-move rule's
 * warm-up threshold (3 × 150 bp) with no history at all, so the crashes at 45 s and 2 min alert
 * at once; the volume-spike rule speaks only after 10 completed 20 s windows (200–220 s after the
 * first trade), so the burst starts at 220 s, the first moment it is sure to be heard.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import type { PlannedEvent } from './marketEvents.js';
import { universeSymbol } from './universe.js';

/** The marker a first run leaves in the data folder. */
export const FIRST_RUN_MARKER = 'simulator-first-run.done';

const CRASH = { depth: 0.08, recovery: 0.5, dropMs: 10_000 } as const;
const BURST = { multiplier: 10, durationMs: 60_000 } as const;

/** The early events for a universe of `symbolCount` symbols starting at `startTime`: on its busiest names. */
export const firstRunEvents = (symbolCount: number, startTime: number): PlannedEvent[] => {
  const symbol = (i: number): string => universeSymbol(Math.min(i, symbolCount - 1));
  return [
    { kind: 'flash-crash', symbol: symbol(0), at: startTime + 45_000, ...CRASH },
    { kind: 'flash-crash', symbol: symbol(1), at: startTime + 120_000, ...CRASH },
    { kind: 'volume-burst', symbol: symbol(2), at: startTime + 220_000, ...BURST },
  ];
};

/**
 * True the first time it is asked for `dataDir`, false ever after: it creates the marker file
 * exclusively, so two processes starting on one folder cannot both get the first run.
 */
export const claimFirstRun = (dataDir: string): boolean => {
  mkdirSync(dataDir, { recursive: true });
  try {
    closeSync(openSync(path.join(dataDir, FIRST_RUN_MARKER), 'wx'));
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST') return false;
    throw e;
  }
};

/** What the simulator plans for a run on `dataDir`: the early events on its first run, nothing later. */
export const plannedEventsFor = (dataDir: string, symbolCount: number, startTime: number): PlannedEvent[] =>
  claimFirstRun(dataDir) ? firstRunEvents(symbolCount, startTime) : [];
